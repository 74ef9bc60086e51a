package io.courier.client.internal;

import io.courier.client.Client;
import io.courier.client.ClientConfig;

/** Placeholder until the client engine lands. */
public final class ClientConnection {
    private ClientConnection() {
    }

    public static Client open(ClientConfig config) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
