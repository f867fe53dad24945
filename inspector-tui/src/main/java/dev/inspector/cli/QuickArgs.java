package dev.inspector.cli;

import picocli.CommandLine.ITypeConverter;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The start-up path for plain command lines: builds and fills a command without picocli.
 *
 * <p>Picocli builds its model of a command by reflection over annotations, and its own classes cannot be stored in
 * the class-data archive; together that is about 60 ms of a 100 ms run. So the build asks picocli for the model of
 * every leaf command once ({@link QuickArgsIndex}) and compiles it into {@link #TABLE_CLASS}; at run time this class reads
 * that table and fills the command's fields from the arguments when they take only the plain forms: {@code --name},
 * {@code --name value}, {@code --name=value}, {@code -n value}, positional values, and values of the types in the
 * table. Anything else (help, version, an unknown option, a bad value, a missing or extra argument, {@code @files},
 * {@code --}, clustered short options) returns {@code null} and the caller hands the whole command line to picocli,
 * which gives the full behaviour and its error messages. Since the table is picocli's own model, both paths fill the
 * same fields the same way; {@code QuickArgsTest} checks that on every command.
 */
final class QuickArgs {

    static final String TABLE_CLASS = "dev.inspector.cli.QuickArgsTable";

    /** No value in an optional column of the table. */
    static final String NONE = "!";

    private QuickArgs() {
    }

    /** One option of a command, from the table. */
    record Opt(String[] names, String holder, String declaringClass, String field, String type, int arity,
               String split, String defaultValue, String converter) {
    }

    /** One positional parameter (or list of them) of a command, from the table. */
    record Param(int from, int to, int minArity, int maxArity, String holder, String declaringClass, String field,
                 String type, String converter) {
    }

    /** A command's entry in the table. */
    record Entry(String name, String className, List<Opt> options, List<Param> params) {
        Opt option(String name) {
            for (Opt o : options) {
                for (String n : o.names) {
                    if (n.equals(name)) {
                        return o;
                    }
                }
            }
            return null;
        }
    }

    /**
     * The command these arguments run, built and filled, or {@code null} when picocli must handle them (see the class
     * comment). Never throws for bad arguments: those are picocli's to report.
     */
    static BaseCommand parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("-") || args[0].startsWith("@")) {
            return null;
        }
        Entry entry = entry(args[0]);
        return entry == null ? null : fill(entry, args);
    }

    /** The table's entry for a command, or null if the command is not in it (or the table is absent). */
    static Entry entry(String command) {
        String table = table();
        return table == null ? null : read(table, command);
    }

    /**
     * The table the build generated ({@code QuickArgsTable}, compiled after the other classes, hence found by name),
     * or null in a build that skipped it, such as an IDE's: then every command line goes to picocli.
     */
    static String table() {
        try {
            return (String) Class.forName(TABLE_CLASS).getDeclaredField("TABLE").get(null);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    static Entry read(String table, String command) {
        String className = null;
        List<Opt> options = new ArrayList<>();
        List<Param> params = new ArrayList<>();
        for (int start = 0, end; start < table.length(); start = end + 1) {
            end = table.indexOf('\n', start);
            if (end < 0) {
                end = table.length();
            }
            String line = table.substring(start, end);
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length < 3 || !f[1].equals(command)) {
                continue;
            }
            switch (f[0]) {
                case "command" -> className = f[2];
                case "option" -> options.add(new Opt(f[2].split(","), f[3], f[4], f[5], f[6], Integer.parseInt(f[7]),
                        f[8], f[9], f[10]));
                case "param" -> params.add(new Param(Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                        Integer.parseInt(f[4]), Integer.parseInt(f[5]), f[6], f[7], f[8], f[9], f[10]));
                default -> throw new IllegalStateException("unknown line in " + TABLE_CLASS + ": " + line);
            }
        }
        return className == null ? null : new Entry(command, className, options, params);
    }

    static BaseCommand fill(Entry entry, String[] args) {
        // Identity maps: a record's hashCode is bootstrapped through method handles, ~20 ms at start-up.
        Map<Opt, Object> values = new IdentityHashMap<>();
        List<String> positionals = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String tok = args[i];
            if (tok.startsWith("@")) {
                return null; // picocli expands @argument-files
            }
            if (!tok.startsWith("-")) {
                positionals.add(tok);
                continue;
            }
            String name = tok;
            String value = null;
            int eq = tok.indexOf('=');
            if (tok.startsWith("--") && eq > 2) {
                name = tok.substring(0, eq);
                value = tok.substring(eq + 1);
            }
            Opt opt = entry.option(name);
            if (opt == null) {
                return null; // help, version, "--", "-", an unknown or clustered option: picocli's
            }
            if (opt.arity != 0 && opt.arity != 1) {
                return null;
            }
            if (opt.arity == 0) {
                if (value != null || values.containsKey(opt) || !opt.type.equals("boolean")) {
                    return null;
                }
                values.put(opt, Boolean.TRUE);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    return null;
                }
                value = args[++i];
                if (value.startsWith("@") || value.startsWith("-") && !value.equals("-") && !isDecimal(value)) {
                    return null; // picocli decides whether that is a value or an option
                }
            }
            if (opt.type.equals("List<String>")) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) values.computeIfAbsent(opt, k -> new ArrayList<>());
                if (NONE.equals(opt.split)) {
                    list.add(value);
                } else {
                    List<String> parts = splitLiteral(value, opt.split);
                    if (parts == null) {
                        return null;
                    }
                    list.addAll(parts);
                }
                continue;
            }
            if (values.containsKey(opt)) {
                return null; // specified twice: picocli reports it
            }
            Object v = convert(value, opt.type, opt.converter);
            if (v == null) {
                return null;
            }
            values.put(opt, v);
        }
        for (Opt opt : entry.options) {
            if (!values.containsKey(opt) && !NONE.equals(opt.defaultValue)) {
                Object v = convert(opt.defaultValue.substring(1), opt.type, opt.converter);
                if (v == null) {
                    return null;
                }
                values.put(opt, v);
            }
        }
        Map<Param, Object> params = new IdentityHashMap<>();
        int covered = 0;
        for (Param p : entry.params) {
            int last = Math.min(p.to, positionals.size() - 1);
            int n = Math.max(0, last - p.from + 1);
            if (n < p.minArity || n > p.maxArity) {
                return null;
            }
            covered += n;
            if (n == 0) {
                continue;
            }
            if (p.type.equals("List<String>")) {
                params.put(p, new ArrayList<Object>(positionals.subList(p.from, last + 1)));
            } else {
                Object v = convert(positionals.get(p.from), p.type, p.converter);
                if (v == null) {
                    return null;
                }
                params.put(p, v);
            }
        }
        if (covered != positionals.size()) {
            return null; // an argument no parameter takes (or one taken twice): picocli reports it
        }
        try {
            Class<?> cls = Class.forName(entry.className);
            BaseCommand command = (BaseCommand) cls.getDeclaredConstructor().newInstance();
            for (Map.Entry<Opt, Object> e : values.entrySet()) {
                Opt o = e.getKey();
                set(command, o.holder, o.declaringClass, o.field, e.getValue());
            }
            for (Map.Entry<Param, Object> e : params.entrySet()) {
                Param p = e.getKey();
                set(command, p.holder, p.declaringClass, p.field, e.getValue());
            }
            return command;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the quick-args table does not match " + entry.className
                    + " (rebuild the jar): " + e, e);
        }
    }

    /** Sets a field of the command, or of the mixin object in its field {@code holder} (created if still null). */
    private static void set(BaseCommand command, String holder, String declaringClass, String field, Object value)
            throws ReflectiveOperationException {
        Object target = command;
        if (!NONE.equals(holder)) {
            String[] h = holder.substring(1).split("#", 2); // "=declaringClass#field"
            Field hf = Class.forName(h[0]).getDeclaredField(h[1]);
            hf.setAccessible(true);
            target = hf.get(command);
            if (target == null) {
                var ctor = hf.getType().getDeclaredConstructor();
                ctor.setAccessible(true);
                target = ctor.newInstance();
                hf.set(command, target);
            }
        }
        Field f = Class.forName(declaringClass).getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    /** The value of an argument of this type, or null when only picocli can say (or report) what it is. */
    static Object convert(String value, String type, String converter) {
        if (!NONE.equals(converter)) {
            try {
                ITypeConverter<?> c = (ITypeConverter<?>) Class.forName(converter.substring(1))
                        .getDeclaredConstructor().newInstance();
                return c.convert(value);
            } catch (Exception e) {
                return null;
            }
        }
        switch (type) {
            case "String":
                return value;
            case "int":
            case "Integer":
                if (!isDecimal(value) || value.length() > 11) {
                    return null;
                }
                long n = Long.parseLong(value);
                return n == (int) n ? Integer.valueOf((int) n) : null;
            case "long":
            case "Long":
                if (!isDecimal(value) || value.length() > 19) {
                    return null;
                }
                return Long.parseLong(value);
            case "boolean":
                return "true".equals(value) ? Boolean.TRUE : "false".equals(value) ? Boolean.FALSE : null;
            default:
                return null; // a type the table does not describe: picocli converts it
        }
    }

    /** A plain decimal integer as every converter reads it alike: optional minus, no leading zero, no sign "+". */
    static boolean isDecimal(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        if (i == s.length() || s.charAt(i) == '0' && s.length() > i + 1 || s.equals("-0")) {
            return false;
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The parts of a list value, or null when picocli's quoting or empty-part rules could matter. */
    private static List<String> splitLiteral(String value, String split) {
        if (value.indexOf('"') >= 0 || value.indexOf('\'') >= 0) {
            return null;
        }
        String sep = split.substring(1);
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int at = value.indexOf(sep); at >= 0; at = value.indexOf(sep, start)) {
            parts.add(value.substring(start, at));
            start = at + sep.length();
        }
        parts.add(value.substring(start));
        return parts.contains("") ? null : parts;
    }
}
