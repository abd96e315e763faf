package io.fixres.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Converts an option value to an enum constant by its id (its {@code toString()}: "stats",
 * "resize-crop"), ignoring case. Registered once for every enum an option takes ({@link Main}),
 * so an unknown value is a usage error listing exactly the ids the user can type.
 */
final class EnumIdConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
    private final Class<E> type;

    EnumIdConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().toLowerCase(Locale.ROOT).equals(wanted)) {
                return constant;
            }
        }
        throw new CommandLine.TypeConversionException("expected one of " + Arrays.stream(type.getEnumConstants())
                .map(Object::toString).collect(Collectors.joining(", ")) + ", got '" + value + "'");
    }

    static <E extends Enum<E>> void register(CommandLine cli, Class<E> type) {
        cli.registerConverter(type, new EnumIdConverter<>(type));
    }
}
