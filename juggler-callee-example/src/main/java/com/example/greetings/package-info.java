/**
 * An application's own callees, as a project outside Juggler writes them: CDI beans whose
 * {@code @RpcFunction} methods the starter's workers serve.
 */
package com.example.greetings;
