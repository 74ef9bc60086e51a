package io.courier.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CloseablesTest {
    private final List<String> closed = new ArrayList<>();

    @Test
    void shouldCloseInTheOrderGivenSkippingNulls() {
        Closeables.closeAll(() -> closed.add("a"), null, () -> closed.add("b"), () -> closed.add("c"));

        assertThat(closed).containsExactly("a", "b", "c");
    }

    @Test
    void shouldCloseEverythingAndRethrowFirstFailureWithOthersSuppressed() {
        IllegalStateException first = new IllegalStateException("first");
        IOException second = new IOException("second");

        Throwable thrown = catchThrowable(() -> Closeables.closeAll(
                () -> closed.add("a"),
                () -> {
                    closed.add("b");
                    throw first;
                },
                () -> {
                    closed.add("c");
                    throw second;
                },
                () -> closed.add("d")));

        assertThat(closed).containsExactly("a", "b", "c", "d");
        assertThat(thrown).isSameAs(first);
        assertThat(thrown.getSuppressed()).containsExactly(second);
    }

    @Test
    void shouldWrapCheckedFirstFailure() {
        IOException failure = new IOException("disk");

        Throwable thrown = catchThrowable(() -> Closeables.closeAll(() -> {
            throw failure;
        }));

        assertThat(thrown).isInstanceOf(UncheckedIOException.class).hasCause(failure);
    }

    @Test
    void shouldRethrowErrorsAsTheyAre() {
        AssertionError failure = new AssertionError("leak");

        Throwable thrown = catchThrowable(() -> Closeables.closeAll(() -> {
            throw failure;
        }, () -> closed.add("after")));

        assertThat(thrown).isSameAs(failure);
        assertThat(closed).containsExactly("after");
    }
}
