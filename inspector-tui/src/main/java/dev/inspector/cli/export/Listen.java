package dev.inspector.cli.export;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The address of {@code --listen}: {@code HOST:PORT}, with an IPv6 host in brackets ({@code [::1]:9780}). The host is
 * required (an empty one would mean every interface, which must be asked for by name: {@code 0.0.0.0} or
 * {@code [::]}); port 0 lets the kernel choose a free port. Errors are IllegalArgumentExceptions naming the text.
 */
public record Listen(String host, int port, InetAddress address) {

    public static final String DEFAULT = "127.0.0.1:9780";

    public static Listen parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw bad(text, "no port");
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw bad(text, "an IPv6 address goes in brackets, e.g. [::1]:9780");
        }
        if (host.isEmpty()) {
            throw bad(text, "no host; say 127.0.0.1 for this machine only, 0.0.0.0 or [::] for every interface");
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(text, "the port is not a number");
        }
        if (p < 0 || p > 65535) {
            throw bad(text, "the port must be 0..65535");
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(host);
        } catch (UnknownHostException | SecurityException e) {
            throw bad(text, "unknown host '" + host + "'");
        }
        return new Listen(host, p, a);
    }

    /** True when only this machine can connect (127.0.0.0/8, ::1). */
    public boolean loopbackOnly() {
        return address.isLoopbackAddress();
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("--listen takes HOST:PORT (default " + DEFAULT + "), not '" + text + "': "
                + why);
    }
}
