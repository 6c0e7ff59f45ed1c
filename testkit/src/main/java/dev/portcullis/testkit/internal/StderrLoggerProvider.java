package dev.portcullis.testkit.internal;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * A minimal SLF4J provider that writes one line per event to standard error. Used only by the standalone
 * Kafka broker process that {@link dev.portcullis.testkit.KafkaServer} starts, selected there with
 * {@code -Dslf4j.provider=}{@value #CLASS_NAME}; it is deliberately <em>not</em> registered in
 * {@code META-INF/services}, so it never competes with the logging of a JVM that merely has the test kit on
 * its classpath (Quarkus tests, the launcher). The threshold is {@code -Dportcullis.log.level} (default INFO).
 */
public final class StderrLoggerProvider implements SLF4JServiceProvider {

    public static final String CLASS_NAME = "dev.portcullis.testkit.internal.StderrLoggerProvider";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();
    private ILoggerFactory loggers;

    @Override
    public void initialize() {
        Level threshold = Level.valueOf(System.getProperty("portcullis.log.level", "INFO").toUpperCase(Locale.ROOT));
        ConcurrentMap<String, Logger> cache = new ConcurrentHashMap<>();
        PrintStream out = System.err;
        loggers = name -> cache.computeIfAbsent(name, n -> new LineLogger(n, threshold, out));
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    private static final class LineLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        private final int threshold;
        private final transient PrintStream out;

        LineLogger(String name, Level threshold, PrintStream out) {
            this.name = name;
            this.threshold = threshold.toInt();
            this.out = out;
        }

        private boolean enabled(Level level) {
            return level.toInt() >= threshold;
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            StringBuilder line = new StringBuilder(64 + message.length())
                    .append('[').append(LocalDateTime.now().format(TIME)).append("] ")
                    .append(level).append(' ').append(message)
                    .append(" (").append(name).append(')');
            synchronized (out) {
                out.println(line);
                if (throwable != null) {
                    throwable.printStackTrace(out);
                }
            }
        }
    }
}
