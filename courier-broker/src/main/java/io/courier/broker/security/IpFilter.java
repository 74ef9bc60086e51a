package io.courier.broker.security;

import io.courier.core.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which peer addresses may connect: an address is refused when it matches a {@code deny} entry, or when
 * {@code allow} is not empty and it matches none of it. Entries are IPv4 or IPv6 addresses or CIDR blocks
 * ({@code 10.0.0.0/8}, {@code fd00::/8}); an IPv4-mapped IPv6 peer ({@code ::ffff:10.1.2.3}) matches IPv4
 * entries. Immutable; any thread.
 */
public final class IpFilter {
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private final List<Block> allow;
    private final List<Block> deny;

    private IpFilter(List<Block> allow, List<Block> deny) {
        this.allow = allow;
        this.deny = deny;
    }

    /** Lets every address in. */
    public static IpFilter any() {
        return new IpFilter(List.of(), List.of());
    }

    /** The filter of these entries; throws {@link ConfigException} naming the key of a malformed one. */
    public static IpFilter of(List<String> allow, List<String> deny) {
        return new IpFilter(parse("security.ipAllow", allow), parse("security.ipDeny", deny));
    }

    /** Checks the entries of {@code key}: each an address or a CIDR block. */
    public static void check(String key, List<String> entries) {
        parse(key, entries);
    }

    /** Null when {@code address} may connect, else why not ({@code denied} or {@code not_allowed}). */
    public String refusal(String address) {
        byte[] peer = bytes(address);
        if (peer == null) {
            return allow.isEmpty() && deny.isEmpty() ? null : "bad_address";
        }
        for (Block block : deny) {
            if (block.contains(peer)) {
                return "ip_denied";
            }
        }
        if (allow.isEmpty()) {
            return null;
        }
        for (Block block : allow) {
            if (block.contains(peer)) {
                return null;
            }
        }
        return "ip_not_allowed";
    }

    private static List<Block> parse(String key, List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            blocks.add(block(key, entry.strip()));
        }
        return List.copyOf(blocks);
    }

    private static Block block(String key, String entry) {
        int slash = entry.indexOf('/');
        String host = slash < 0 ? entry : entry.substring(0, slash);
        byte[] address = bytes(host);
        if (address == null) {
            throw new ConfigException(key + ": not an IP address or CIDR block: '" + entry + "' (use 10.0.0.7, "
                    + "10.0.0.0/8 or fd00::/8; host names are not accepted)");
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = entry.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                throw new ConfigException(key + ": bad prefix length in '" + entry + "' (0 to " + bits + ")");
            }
            prefix = Integer.parseInt(length);
        }
        return new Block(address, prefix);
    }

    /** The address bytes of an IP literal (IPv4-mapped IPv6 as IPv4), or null when it is not one. */
    static byte[] bytes(String text) {
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (literal.isEmpty() || !LITERAL.matcher(literal).matches()) {
            return null;   // never a name lookup
        }
        if (!literal.contains(":") && !isIpv4(literal)) {
            return null;
        }
        try {
            return InetAddress.getByName(literal).getAddress();   // a literal: no DNS; mapped IPv6 comes back IPv4
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isIpv4(String literal) {
        String[] octets = literal.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** An address block: the first {@code prefix} bits of {@code address}. */
    private record Block(byte[] address, int prefix) {
        boolean contains(byte[] peer) {
            if (peer.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (peer[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (peer[full] & mask) == (address[full] & mask);
        }
    }
}
