-- The W3C trace context of the request that wrote the event (null when tracing is off): the relay makes
-- it the parent of the Kafka publish span, so consumers continue the writer's trace.
ALTER TABLE outbox_event ADD COLUMN traceparent TEXT;
ALTER TABLE outbox_event ADD COLUMN tracestate  TEXT;
