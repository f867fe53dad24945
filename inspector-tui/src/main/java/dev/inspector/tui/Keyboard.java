package dev.inspector.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.Screen;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The one thread that reads keys from a screen's terminal, for as long as the screen lives, handing each key to
 * whichever screen is in front (the picker, then the map). One reader only: a second one would steal keys.
 */
public final class Keyboard {

    private final Screen screen;
    private volatile Consumer<KeyStroke> target = k -> { };
    private volatile Consumer<Exception> onError = e -> { };
    private volatile boolean stopped;

    public Keyboard(Screen screen) {
        this.screen = screen;
    }

    /** Where keys go from now on (on the reader's thread: post them to the screen's thread). */
    public void to(Consumer<KeyStroke> keys, Consumer<Exception> errors) {
        this.target = keys;
        this.onError = errors;
    }

    public Keyboard start() {
        Thread t = new Thread(this::read, "tui-input");
        t.setDaemon(true);
        t.start();
        return this;
    }

    public void stop() {
        stopped = true;
    }

    /**
     * Lanterna's virtual terminal holds its monitor while it blocks in readInput, which would lock out drawing: there
     * keys are polled every few milliseconds. A real terminal reads keys with a read that blocks (no cost while idle).
     */
    private boolean blocking() {
        return !(screen instanceof com.googlecode.lanterna.screen.TerminalScreen ts
                && ts.getTerminal() instanceof com.googlecode.lanterna.terminal.virtual.VirtualTerminal);
    }

    private void read() {
        boolean block = blocking();
        try {
            while (!stopped) {
                KeyStroke k = block ? screen.readInput() : screen.pollInput();
                if (k == null && !block) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                if (k != null && !stopped) {
                    target.accept(k);
                }
                if (k != null && k.getKeyType() == com.googlecode.lanterna.input.KeyType.EOF) {
                    return; // the terminal's input is gone: nothing more will come
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!stopped) {
                onError.accept(e);
            }
        }
    }
}
