package io.courier.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the broker's status document (docs/protocol.md) as a table of services, one of streams and one of durable
 * queues when there are any, and summary lines. Missing
 * fields show as 0 or "?", so a newer broker's document still prints. Stateless and thread-safe.
 */
final class StatusTable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] HEADINGS = {"SERVICE", "WORKERS", "CAPACITY", "BUSY", "QUEUED"};
    private static final String[] STREAM_HEADINGS = {"STREAM", "HEAD", "FIRST", "RETAINED", "BYTES"};
    private static final String[] QUEUE_HEADINGS = {"QUEUE", "DEPTH", "UNACKED", "CONSUMERS", "DEAD-LETTERS"};

    private StatusTable() {
    }

    static String render(String document) throws JsonProcessingException {
        JsonNode status = JSON.readTree(document);
        StringBuilder text = new StringBuilder();
        text.append("broker ").append(status.path("brokerId").asText("?"))
                .append(" at ").append(status.path("endpoints").path("frontend").asText("?"))
                .append(", up ").append(uptime(status.path("uptimeSeconds").asLong())).append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (JsonNode s : status.path("services")) {
            rows.add(new String[] {s.path("name").asText("?"), number(s, "workers"), number(s, "capacity"),
                number(s, "busy"), number(s, "queued")});
        }
        if (rows.size() == 1) {
            text.append("(no services)\n");
        } else {
            table(rows, text);
        }
        List<String[]> streams = new ArrayList<>();
        streams.add(STREAM_HEADINGS);
        for (JsonNode s : status.path("streams")) {
            streams.add(new String[] {s.path("name").asText("?"), number(s, "headSeq"), number(s, "firstSeq"),
                number(s, "retained"), number(s, "retainedBytes")});
        }
        if (streams.size() > 1) {
            table(streams, text);
        }
        queues(status, text);
        long lagging = 0;
        for (JsonNode sub : status.path("subscriptions")) {
            lagging += sub.path("lagging").asBoolean() ? 1 : 0;
        }
        text.append(count(status.path("streams").size(), "stream")).append(", ")
                .append(count(status.path("subscriptions").size(), "subscription")).append(" (")
                .append(lagging).append(" lagging)\n");
        text.append(count(status.path("services").size(), "service")).append(", ")
                .append(count(status.path("workers").size(), "worker")).append(", ")
                .append(count(status.path("connections").asLong(), "connection")).append(", ")
                .append(count(status.path("queuedRequests").asLong(), "queued request")).append(", ")
                .append(count(status.path("malformedMessages").asLong(), "malformed message")).append('\n');
        return text.toString();
    }

    /**
     * The durable queues, when there are any: depth (ready and delayed), unacked, consumers, and the messages in the
     * queue's dead-letter queue (its depth, from that queue's own row; "-" when it has none yet).
     */
    private static void queues(JsonNode status, StringBuilder text) {
        JsonNode queues = status.path("queues");
        if (queues.size() == 0) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(QUEUE_HEADINGS);
        for (JsonNode q : queues) {
            String dlq = q.path("deadLetterQueue").asText("");
            String dead = "-";
            for (JsonNode other : queues) {
                if (!dlq.isEmpty() && dlq.equals(other.path("name").asText())) {
                    dead = number(other, "depth");
                }
            }
            rows.add(new String[] {q.path("name").asText("?"), number(q, "depth"), number(q, "unacked"),
                number(q, "consumers"), dead});
        }
        table(rows, text);
    }

    /** Left-aligns the first column, right-aligns the numbers. */
    private static void table(List<String[]> rows, StringBuilder text) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(String.format("%-" + widths[0] + "s", row[0]));
            for (int i = 1; i < row.length; i++) {
                line.append("  ").append(String.format("%" + widths[i] + "s", row[i]));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String number(JsonNode node, String field) {
        return Long.toString(node.path(field).asLong());
    }

    /** {@code 42s}, {@code 5m 3s}, {@code 2h 0m}, {@code 3d 4h}. */
    static String uptime(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3_600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        if (seconds < 86_400) {
            return seconds / 3_600 + "h " + seconds % 3_600 / 60 + "m";
        }
        return seconds / 86_400 + "d " + seconds % 86_400 / 3_600 + "h";
    }
}
