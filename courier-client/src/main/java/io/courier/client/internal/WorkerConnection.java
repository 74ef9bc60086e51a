package io.courier.client.internal;

import io.courier.client.ClientConfig;
import io.courier.client.RequestHandler;
import io.courier.client.Worker;
import io.courier.client.WorkerOptions;

/** Placeholder until the client engine lands. */
public final class WorkerConnection {
    private WorkerConnection() {
    }

    public static Worker open(ClientConfig config, WorkerOptions options, RequestHandler handler) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
