package dev.sprox.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The tracer every span comes from. Without a configured endpoint it is OpenTelemetry's no-op tracer: no
 * exporter, no thread, spans that cost a few allocations. With one, spans are batched to OTLP/HTTP.
 */
public final class Tracing implements AutoCloseable {
    public static final Tracing OFF = new Tracing(Optional.empty(), null, OpenTelemetry.noop().getTracer("sprox"));
    private static final String SCOPE = "dev.sprox";

    private final Optional<TracingConfig> config;
    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private Tracing(Optional<TracingConfig> config, SdkTracerProvider provider, Tracer tracer) {
        this.config = config;
        this.provider = provider;
        this.tracer = tracer;
    }

    public static Tracing of(Optional<TracingConfig> config) {
        if (config.isEmpty()) {
            return OFF;
        }
        SdkTracerProvider provider = provider(config.get());
        return new Tracing(config, provider, provider.get(SCOPE));
    }

    /** The running tracing when its block did not change (an exporter keeps its batch), else a new one. */
    public static Tracing next(Optional<TracingConfig> config, Tracing running) {
        return config.equals(running.config) ? running : of(config);
    }

    private static SdkTracerProvider provider(TracingConfig config) {
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder().setEndpoint(config.endpoint().toString());
        config.headers().forEach((name, value) -> exporter.addHeader(name, value.value()));
        AttributesBuilder attributes = Attributes.builder().put("service.name", config.serviceName());
        config.resourceAttributes().forEach(attributes::put);
        return SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(attributes.build())))
                // A trusted caller's sampling decision wins, so one trace is either whole or absent.
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.samplingRatio())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
                        .setScheduleDelay(config.exportDelay()).build())
                .build();
    }

    public boolean enabled() {
        return provider != null;
    }

    public Tracer tracer() {
        return tracer;
    }

    public TextMapPropagator propagator() {
        return W3CTraceContextPropagator.getInstance();
    }

    /** Sends what is batched and stops the exporter; spans ended afterwards are dropped. */
    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
