package dev.juggler.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The web module's error page (the default one of {@code WEB-INF/web.xml}): the status and its
 * plain name as text, never the container's message, which names its exceptions and classes.
 */
@WebServlet("/error")
public class ErrorPage extends HttpServlet {

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i ? i : HttpServletResponse.SC_NOT_FOUND;
    res.setStatus(status);
    res.setContentType("text/plain;charset=UTF-8");
    res.getWriter().println(status + " " + reason(status));
  }

  static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 426 -> "Upgrade Required";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Server Error" : "Client Error";
    };
  }
}
