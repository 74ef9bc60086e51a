package io.courier.broker.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known name a mistyped one probably meant, for "did you mean ...?" hints: a small edit distance, or the
 * same last segment. Stateless, any thread.
 */
final class Suggestions {
    private static final int MAX_EDITS = 3;

    private Suggestions() {
    }

    /** The candidate closest to {@code unknown}, if any is close enough to be a likely typo. */
    static Optional<String> closest(String unknown, Collection<String> candidates) {
        String wanted = unknown.toLowerCase(Locale.ROOT);
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String known = candidate.toLowerCase(Locale.ROOT);
            int score = distance(wanted, known);
            if (score > MAX_EDITS && sameLeaf(wanted, known)) {
                score = MAX_EDITS; // `interval` for `heartbeat.interval`, `timeout` for `defaultTimeout`
            }
            if (score <= MAX_EDITS && score < bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean sameLeaf(String wanted, String known) {
        String leaf = leaf(wanted);
        return leaf.length() >= 4 && leaf(known).contains(leaf);
    }

    private static String leaf(String name) {
        return name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('_')) + 1);
    }

    /** Levenshtein distance: the fewest single-character inserts, deletes and replacements from a to b. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
