package dev.portcullis.audit.alert;

import java.util.List;

/** {@code POST /v1/alert-subscriptions}: where to deliver, and which kinds (none or empty: every kind). */
public record NewSubscription(String url, List<String> kinds) {
}
