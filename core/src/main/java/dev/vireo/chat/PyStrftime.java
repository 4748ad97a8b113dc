/*
 * Python's datetime.strftime in the C locale, for the `strftime_now(fmt)` helper that Hugging Face gives
 * chat templates (Llama 3.2 writes "%d %b %Y", Mistral Small and gpt-oss "%Y-%m-%d"). The time is a naive
 * local date-time, like transformers' datetime.now(). Unknown directives are copied through, as glibc
 * does. Tested by PyHelpersTest.
 */
package dev.vireo.chat;

import java.time.LocalDateTime;

/** strftime over a LocalDateTime with English (C locale) names. */
final class PyStrftime {
    private PyStrftime() {}

    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};

    static String format(LocalDateTime t, String fmt) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 == fmt.length()) {
                sb.append(c);
                continue;
            }
            char d = fmt.charAt(++i);
            String day = DAYS[t.getDayOfWeek().getValue() - 1];
            String month = MONTHS[t.getMonthValue() - 1];
            switch (d) {
                case 'a' -> sb.append(day, 0, 3);
                case 'A' -> sb.append(day);
                case 'b', 'h' -> sb.append(month, 0, 3);
                case 'B' -> sb.append(month);
                case 'd' -> pad(sb, t.getDayOfMonth(), 2, '0');
                case 'e' -> pad(sb, t.getDayOfMonth(), 2, ' ');
                case 'm' -> pad(sb, t.getMonthValue(), 2, '0');
                case 'y' -> pad(sb, t.getYear() % 100, 2, '0');
                case 'Y' -> sb.append(t.getYear());
                case 'H' -> pad(sb, t.getHour(), 2, '0');
                case 'I' -> pad(sb, (t.getHour() + 11) % 12 + 1, 2, '0');
                case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
                case 'M' -> pad(sb, t.getMinute(), 2, '0');
                case 'S' -> pad(sb, t.getSecond(), 2, '0');
                case 'f' -> pad(sb, t.getNano() / 1000, 6, '0');
                case 'j' -> pad(sb, t.getDayOfYear(), 3, '0');
                case 'w' -> sb.append(t.getDayOfWeek().getValue() % 7);
                case 'u' -> sb.append(t.getDayOfWeek().getValue());
                case 'F' -> sb.append(format(t, "%Y-%m-%d"));
                case 'T' -> sb.append(format(t, "%H:%M:%S"));
                case 'D' -> sb.append(format(t, "%m/%d/%y"));
                case 'c' -> sb.append(format(t, "%a %b %e %H:%M:%S %Y"));
                case 'x' -> sb.append(format(t, "%m/%d/%y"));
                case 'X' -> sb.append(format(t, "%H:%M:%S"));
                case 'z', 'Z' -> { }   // a naive date-time has no zone: Python writes nothing
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case '%' -> sb.append('%');
                default -> sb.append('%').append(d);
            }
        }
        return sb.toString();
    }

    private static void pad(StringBuilder sb, int value, int width, char fill) {
        String s = Integer.toString(value);
        sb.append(String.valueOf(fill).repeat(Math.max(0, width - s.length()))).append(s);
    }
}
