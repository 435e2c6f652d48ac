using System.Globalization;

namespace ModelGateway.Providers.Shared;

/// <summary>
/// Parses the duration texts rate-limit headers carry: Go-style durations (<c>6m0s</c>, <c>20ms</c>, <c>1h2m3.5s</c>,
/// <c>150us</c>) and plain seconds (<c>12</c>, <c>0.5</c>).
/// </summary>
internal static class DurationText
{
    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double plainSeconds))
        {
            return TryFromTicks(plainSeconds * TimeSpan.TicksPerSecond, out value);
        }

        double ticks = 0;
        while (!text.IsEmpty)
        {
            int numberLength = 0;
            while (numberLength < text.Length && (char.IsAsciiDigit(text[numberLength]) || text[numberLength] == '.'))
            {
                numberLength++;
            }

            if (numberLength == 0
                || !double.TryParse(text[..numberLength], NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
            {
                return false;
            }

            text = text[numberLength..];
            int unitLength = 0;
            while (unitLength < text.Length && !char.IsAsciiDigit(text[unitLength]) && text[unitLength] != '.')
            {
                unitLength++;
            }

            double unitTicks = text[..unitLength] switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "us" or "µs" or "μs" => TimeSpan.TicksPerMillisecond / 1000.0,
                "ns" => TimeSpan.TicksPerMillisecond / 1_000_000.0,
                _ => -1,
            };

            if (unitTicks < 0)
            {
                return false;
            }

            ticks += number * unitTicks;
            text = text[unitLength..];
        }

        return TryFromTicks(ticks, out value);
    }

    private static bool TryFromTicks(double ticks, out TimeSpan value)
    {
        if (double.IsNaN(ticks) || ticks < 0 || ticks >= TimeSpan.MaxValue.Ticks)
        {
            value = TimeSpan.Zero;
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Ceiling(ticks));
        return true;
    }
}
