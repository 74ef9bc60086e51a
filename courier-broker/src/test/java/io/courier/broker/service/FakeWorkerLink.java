package io.courier.broker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.protocol.Headers;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link WorkerLink} that records the jobs and disconnects the router sends, and can be told to refuse sends
 * (as when the peer is gone or its queue is full). Test thread only.
 */
final class FakeWorkerLink implements WorkerLink {
    /** One job as the router sent it. */
    record SentJob(long jobId, int timeoutMillis, Headers headers, byte[][] body) {
        String text() {
            return RouterFixture.text(body);
        }
    }

    final List<SentJob> jobs = new ArrayList<>();
    final List<String> disconnects = new ArrayList<>();
    boolean failSends;
    int failedSends;

    @Override
    public boolean sendJob(long jobId, int timeoutMillis, Headers headers, byte[][] body) {
        if (failSends) {
            failedSends++;
            return false;
        }
        jobs.add(new SentJob(jobId, timeoutMillis, headers, body));
        return true;
    }

    @Override
    public void sendDisconnect(String reason) {
        disconnects.add(reason);
    }

    @Override
    public String protocol() {
        return "courier";
    }

    SentJob lastJob() {
        assertThat(jobs).as("jobs sent").isNotEmpty();
        return jobs.get(jobs.size() - 1);
    }

    SentJob onlyJob() {
        assertThat(jobs).as("jobs sent").hasSize(1);
        return jobs.get(0);
    }

    List<String> texts() {
        List<String> out = new ArrayList<>();
        for (SentJob job : jobs) {
            out.add(job.text());
        }
        return out;
    }
}
