/**
 * How {@link dev.juggler.callee.RpcFunction} methods are found and called; not an API.
 *
 * <p>{@link dev.juggler.callee.internal.RpcFunctionExtension} collects the annotated methods while
 * CDI deploys, failing the deployment on an invalid signature or a duplicate URI. {@link
 * dev.juggler.callee.internal.FunctionRegistry} turns them into {@link
 * dev.juggler.callee.internal.RpcTarget}s bound to contextual references, and {@link
 * dev.juggler.callee.internal.FunctionInvoker} executes a call: strict argument decoding ({@link
 * dev.juggler.callee.internal.ParamDecoders}), invocation, JSON-B encoding of the result, and error
 * results ({@link dev.juggler.callee.internal.ErrorResults}) for every failure.
 */
package dev.juggler.callee.internal;
