using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace RootMail.Tests
{
    /// <summary>
    /// Unique names so that tests sharing one Azurite and one simulator never see each other's data.
    /// Each name carries a hint (by default the calling test's name), a per-run id and a counter.
    /// </summary>
    public static class TestNames
    {
        /// <summary>Random per test run, so names never repeat across runs sharing an Azurite data folder.</summary>
        public static readonly string RunId = RandomBase36(4);

        private static int counter;

        /// <summary>
        /// An Azure table name: letters and digits only, starting with a letter, 3 to 63 characters,
        /// lowercase (table names are case-insensitive), never the reserved "tables".
        /// </summary>
        public static string Table([CallerMemberName] string hint = "")
        {
            var core = "t" + Clean(hint, 40, allowHyphen: false);
            return core + RunId + Next();
        }

        /// <summary>
        /// An Exchange tenant for the simulator: a short unique label, its Organization
        /// (&lt;label&gt;.onmicrosoft.com) and an accepted Domain (&lt;label&gt;.test, reserved for testing).
        /// Short, so that aliases stay within AWS's 64-character limit.
        /// </summary>
        public static TestTenant Tenant([CallerMemberName] string hint = "")
        {
            var label = "rm" + Clean(hint, 8, allowHyphen: false) + RunId + Next();
            return new TestTenant(label);
        }

        /// <summary>A unique lowercase name: prefix, per-run id and counter (letters, digits and '-').</summary>
        public static string Unique(string prefix = "x")
        {
            return Clean(prefix, 40, allowHyphen: true) + RunId + Next();
        }

        private static string Next() =>
            ToBase36(Interlocked.Increment(ref counter));

        private static string Clean(string? hint, int max, bool allowHyphen)
        {
            var sb = new StringBuilder();
            foreach (var c in hint ?? "")
            {
                if (sb.Length >= max)
                {
                    break;
                }
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                {
                    sb.Append(c);
                }
                else if (c >= 'A' && c <= 'Z')
                {
                    sb.Append(char.ToLowerInvariant(c));
                }
                else if (allowHyphen && c == '-' && sb.Length > 0)
                {
                    sb.Append(c);
                }
            }
            return sb.ToString();
        }

        private static string ToBase36(long value)
        {
            const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
            if (value == 0)
            {
                return "0";
            }
            var sb = new StringBuilder();
            while (value > 0)
            {
                sb.Insert(0, digits[(int)(value % 36)]);
                value /= 36;
            }
            return sb.ToString();
        }

        private static string RandomBase36(int length)
        {
            const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
            var sb = new StringBuilder();
            for (var i = 0; i < length; i++)
            {
                sb.Append(digits[RandomNumberGenerator.GetInt32(digits.Length)]);
            }
            return sb.ToString();
        }
    }

    /// <summary>A unique simulated Exchange tenant.</summary>
    public sealed class TestTenant
    {
        public TestTenant(string label)
        {
            Label = label;
        }

        /// <summary>e.g. rmnewalias1a2b3.</summary>
        public string Label { get; }

        /// <summary>For Connect-ExchangeOnline -Organization: &lt;label&gt;.onmicrosoft.com.</summary>
        public string Organization => Label + ".onmicrosoft.com";

        /// <summary>An accepted domain (Connect-ExchangeOnline -AcceptedDomain, pool -Domain): &lt;label&gt;.test.</summary>
        public string Domain => Label + ".test";

        public override string ToString() => Organization;
    }
}
