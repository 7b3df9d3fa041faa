// The bare twin of a generated Kotlin service, for `cargo xtask bench-service` (see Bare.kt).
package __package__

import io.micronaut.runtime.Micronaut

public fun main(args: Array<String>) {
    Micronaut.build(*args).banner(false).start()
}
