package io.courier.protocol;

/**
 * Protocol identifiers that open a message on the frontend, and the MDP command bytes
 * (ZeroMQ RFC 7 for MDP/0.1, RFC 18 for MDP/0.2). See docs/protocol.md.
 */
public final class Wire {
    /** Courier native protocol, version 1. First frame of every native message. */
    public static final String CRR1 = "CRR1";
    public static final String MDP01_CLIENT = "MDPC01";
    public static final String MDP01_WORKER = "MDPW01";
    public static final String MDP02_CLIENT = "MDPC02";
    public static final String MDP02_WORKER = "MDPW02";


    /** MDP/0.1 worker commands (RFC 7). */
    public static final byte MDP01_READY = 0x01;
    public static final byte MDP01_REQUEST = 0x02;
    public static final byte MDP01_REPLY = 0x03;
    public static final byte MDP01_HEARTBEAT = 0x04;
    public static final byte MDP01_DISCONNECT = 0x05;

    /** MDP/0.2 commands (RFC 18). Client side: REQUEST, PARTIAL, FINAL. */
    public static final byte MDP02_CLIENT_REQUEST = 0x01;
    public static final byte MDP02_CLIENT_PARTIAL = 0x02;
    public static final byte MDP02_CLIENT_FINAL = 0x03;
    /** MDP/0.2 worker side: READY, REQUEST, PARTIAL, FINAL, HEARTBEAT, DISCONNECT. */
    public static final byte MDP02_READY = 0x01;
    public static final byte MDP02_REQUEST = 0x02;
    public static final byte MDP02_PARTIAL = 0x03;
    public static final byte MDP02_FINAL = 0x04;
    public static final byte MDP02_HEARTBEAT = 0x05;
    public static final byte MDP02_DISCONNECT = 0x06;

    /** The Majordomo Management Interface namespace (RFC 8). */
    public static final String MMI_PREFIX = "mmi.";
    public static final String MMI_SERVICE = "mmi.service";

    private Wire() {
    }
}
