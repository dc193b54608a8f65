/**
 * The callee API: how an application declares the RPC functions this process serves.
 *
 * <p>Annotate a public method of a CDI bean or an EJB with {@link dev.juggler.callee.RpcFunction};
 * the module discovers it at deployment and its workers execute calls to that URI taken from the
 * broker. A function fails by throwing; {@link dev.juggler.callee.RpcException} chooses the error
 * object the caller sees. {@link dev.juggler.callee.CallContext} tells a running function about the
 * call it serves (its deadline in particular).
 */
package dev.juggler.callee;
