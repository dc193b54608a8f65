/**
 * How {@link dev.juggler.callee.RpcFunction} methods are found at deployment and called by the
 * workers; not an API.
 *
 * <p>{@link dev.juggler.callee.function.RpcFunctionExtension} collects the annotated methods while
 * CDI deploys, failing the deployment on an invalid signature or a duplicate URI. {@link
 * dev.juggler.callee.function.FunctionRegistry} turns them into {@link
 * dev.juggler.callee.function.RpcTarget}s bound to contextual references, and {@link
 * dev.juggler.callee.function.FunctionInvoker} executes a call: strict argument decoding ({@link
 * dev.juggler.callee.function.ParamDecoders}), invocation, JSON-B encoding of the result, and error
 * results ({@link dev.juggler.callee.function.ErrorResults}) for every failure.
 */
package dev.juggler.callee.function;
