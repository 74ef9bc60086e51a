package io.courier.protocol;

/** Native protocol command ids: frame 1 of every {@code CRR1} message (docs/protocol.md, section 4). */
public enum Command {
    HELLO(0x01),
    WELCOME(0x02),
    REQUEST(0x03),
    REPLY(0x04),
    ERROR(0x05),
    HEARTBEAT(0x06),
    DISCONNECT(0x07),
    BATCH(0x08),
    READY(0x10),
    JOB(0x11),
    DONE(0x12),
    FAIL(0x13),
    STATUS(0x20),
    STATUS_REPLY(0x21),
    PUBLISH(0x30),
    PUBACK(0x31),
    SUBSCRIBE(0x32),
    SUBSCRIBED(0x33),
    UNSUBSCRIBE(0x34),
    EVENT(0x35),
    LOSS(0x36),
    REPLAY(0x37),
    UNSUBSCRIBED(0x38),
    PUBLISH_BATCH(0x39),
    PUBACK_BATCH(0x3A),
    EVENT_BATCH(0x3B),
    ENQUEUE(0x40),
    CONFIRM(0x41),
    CONSUME(0x42),
    CONSUMING(0x43),
    DELIVER(0x44),
    ACK(0x45),
    NACK(0x46),
    CANCEL(0x47),
    CANCELLED(0x48),
    QUEUE_ADMIN(0x49),
    QUEUE_ADMIN_REPLY(0x4A);

    private static final Command[] BY_ID = new Command[256];

    static {
        for (Command c : values()) {
            BY_ID[c.id] = c;
        }
    }

    private final int id;

    Command(int id) {
        this.id = id;
    }

    public byte id() {
        return (byte) id;
    }

    /** The command for an id read off the wire. */
    public static Command of(byte id) {
        Command c = BY_ID[id & 0xFF];
        if (c == null) {
            throw new ProtocolException("unknown command id 0x" + Integer.toHexString(id & 0xFF));
        }
        return c;
    }
}
