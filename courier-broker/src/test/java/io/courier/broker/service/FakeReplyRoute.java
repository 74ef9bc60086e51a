package io.courier.broker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import java.util.ArrayList;
import java.util.List;

/** A {@link ReplyRoute} that records what the router answers, for assertions. Test thread only. */
final class FakeReplyRoute implements ReplyRoute {
    /** One final reply. */
    record Reply(Headers headers, byte[][] body) {
        String text() {
            return RouterFixture.text(body);
        }
    }

    /** One error answer. */
    record Failure(ErrorCode code, String reason) {
    }

    final List<Reply> replies = new ArrayList<>();
    final List<byte[][]> partials = new ArrayList<>();
    final List<Failure> errors = new ArrayList<>();

    @Override
    public void reply(Headers headers, byte[][] body) {
        replies.add(new Reply(headers, body));
    }

    @Override
    public void partial(byte[][] body) {
        partials.add(body);
    }

    @Override
    public void error(ErrorCode code, String reason) {
        errors.add(new Failure(code, reason));
    }

    @Override
    public String protocol() {
        return "courier";
    }

    boolean isAnswered() {
        return !replies.isEmpty() || !errors.isEmpty();
    }

    /** The one answer, which must be a reply; its body as text. */
    String onlyReplyText() {
        assertThat(errors).as("errors").isEmpty();
        assertThat(replies).as("replies").hasSize(1);
        return replies.get(0).text();
    }

    /** The one answer, which must be an error. */
    Failure onlyError() {
        assertThat(replies).as("replies").isEmpty();
        assertThat(errors).as("errors").hasSize(1);
        return errors.get(0);
    }

    ErrorCode onlyErrorCode() {
        return onlyError().code();
    }
}
