package dev.juggler.protocol.message;

/**
 * URIs that server nodes answer themselves instead of queueing the CALL for a callee. No callee may
 * serve them: the callee module refuses an {@code @RpcFunction} with one of them at startup, since
 * its calls would never arrive.
 */
public final class MetaUris {

  /**
   * Lists the URIs that at least one live callee serves: a CALL to it gets an ACK, then a RES whose
   * args are a JSON array of those URIs in ascending order (say {@code
   * ["test.delay","test.echo"]}), as the node last read them from the broker (within about half a
   * second). Its own URI is not listed.
   */
  public static final String LIVE_URIS = "juggler.uris";

  private MetaUris() {}

  /** Whether {@code uri} is answered by server nodes themselves. */
  public static boolean isMeta(String uri) {
    return LIVE_URIS.equals(uri);
  }
}
