// The bare twin of a generated Kotlin service, for `cargo xtask bench-service`: Micronaut alone with
// the four benchmarked routes over the same database stack (Micronaut Data JDBC on H2, the same items
// table, the same coroutine dispatch as the generated controllers), and no contract layer (security
// off, no filters, no rate limiter, no request ids, no access log, no validation). It is built with
// the generated project's own pom.xml, so every library is the version the project pins.
package __package__

import com.fasterxml.jackson.annotation.JsonProperty
import io.micronaut.data.annotation.GeneratedValue
import io.micronaut.data.annotation.Id
import io.micronaut.data.annotation.MappedEntity
import io.micronaut.data.annotation.Query
import io.micronaut.data.jdbc.annotation.JdbcRepository
import io.micronaut.data.model.query.builder.sql.Dialect
import io.micronaut.data.repository.CrudRepository
import io.micronaut.http.HttpResponse
import io.micronaut.http.HttpStatus
import io.micronaut.http.annotation.Body
import io.micronaut.http.annotation.Controller
import io.micronaut.http.annotation.Get
import io.micronaut.http.annotation.Post
import io.micronaut.http.annotation.QueryValue
import io.micronaut.http.annotation.Status
import io.micronaut.serde.annotation.Serdeable
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.time.Instant

@Serdeable
@MappedEntity("items", escape = false)
public data class BareItem(
    @field:Id
    @field:GeneratedValue(GeneratedValue.Type.IDENTITY)
    val id: Long? = null,
    val name: String,
    val description: String?,
    @get:JsonProperty("price_cents")
    val priceCents: Long,
    @get:JsonProperty("created_at")
    val createdAt: Instant,
    @get:JsonProperty("updated_at")
    val updatedAt: Instant,
)

@Serdeable
public data class BareItemIn(
    val name: String,
    val description: String? = null,
    @param:JsonProperty("price_cents")
    val priceCents: Long,
)

@Serdeable
public data class BarePage(
    val items: List<BareItem>,
    val total: Long,
    val limit: Int,
    val offset: Long,
)

@JdbcRepository(dialect = Dialect.H2)
public interface BareItems : CrudRepository<BareItem, Long> {
    @Query("SELECT * FROM items ORDER BY id LIMIT :limit OFFSET :offset")
    public fun page(
        limit: Int,
        offset: Long,
    ): List<BareItem>
}

@Controller
public open class BareController(
    private val items: BareItems,
) {
    @Get("/health/live")
    public open fun live(): Map<String, String> = mapOf("status" to "ok")

    @Get("/api/v1/items")
    public open suspend fun list(
        @QueryValue(defaultValue = "20") limit: Int,
        @QueryValue(defaultValue = "0") offset: Long,
    ): BarePage = withContext(Dispatchers.IO) { BarePage(items.page(limit, offset), items.count(), limit, offset) }

    @Get("/api/v1/items/{id}")
    public open suspend fun get(id: Long): HttpResponse<BareItem> =
        withContext(Dispatchers.IO) { items.findById(id).map { HttpResponse.ok(it) }.orElse(HttpResponse.notFound()) }

    @Post("/api/v1/items")
    @Status(HttpStatus.CREATED)
    public open suspend fun create(
        @Body input: BareItemIn,
    ): BareItem =
        withContext(Dispatchers.IO) {
            val now = Instant.now()
            items.save(BareItem(null, input.name, input.description, input.priceCents, now, now))
        }
}
