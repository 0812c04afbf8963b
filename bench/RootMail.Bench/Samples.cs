using System;
using System.Collections.Generic;
using System.Linq;

namespace RootMail.Bench
{
    /// <summary>
    /// Measured values of one quantity (milliseconds, requests ...). Medians are the middle value (the mean of the two
    /// middle ones for an even count); p90 is the nearest-rank 90th percentile (the ceil(0.9 n)-th smallest value).
    /// </summary>
    internal sealed class Samples
    {
        private readonly List<double> values = new List<double>();

        public Samples()
        {
        }

        public Samples(IEnumerable<double> values) => this.values.AddRange(values);

        public int Count => values.Count;

        public IReadOnlyList<double> Values => values;

        public void Add(double value) => values.Add(value);

        public double Median
        {
            get
            {
                if (values.Count == 0) return double.NaN;
                var sorted = values.OrderBy(v => v).ToArray();
                var mid = sorted.Length / 2;
                return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
            }
        }

        public double P90 => Percentile(0.9);

        public double Min => values.Count == 0 ? double.NaN : values.Min();

        public double Max => values.Count == 0 ? double.NaN : values.Max();

        public double Mean => values.Count == 0 ? double.NaN : values.Average();

        public double Sum => values.Sum();

        public double Percentile(double p)
        {
            if (values.Count == 0) return double.NaN;
            var sorted = values.OrderBy(v => v).ToArray();
            var rank = (int)Math.Ceiling(p * sorted.Length);
            return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
        }
    }
}
