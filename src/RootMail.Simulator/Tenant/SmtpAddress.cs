using System;
using System.Text.RegularExpressions;

namespace RootMail.Simulator
{
    /// <summary>One SMTP proxy address as a caller wrote it: the bare address and whether it is primary.</summary>
    internal readonly struct ProxyEntry
    {
        public ProxyEntry(string address, bool isPrimary, bool hasPrefix)
        {
            Address = address;
            IsPrimary = isPrimary;
            HasPrefix = hasPrefix;
        }

        /// <summary>The address without any prefix, in the caller's case.</summary>
        public string Address { get; }

        /// <summary><c>SMTP:</c> was given.</summary>
        public bool IsPrimary { get; }

        /// <summary>Some <c>smtp:</c>/<c>SMTP:</c> prefix was given.</summary>
        public bool HasPrefix { get; }

        public string Prefixed => (IsPrimary ? "SMTP:" : "smtp:") + Address;
    }

    /// <summary>SMTP address syntax, prefixes and domains.</summary>
    internal static class SmtpAddress
    {
        private const string Atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
        private static readonly Regex LocalPart = new Regex("^" + Atom + @"(\." + Atom + ")*$", RegexOptions.CultureInvariant);
        private static readonly Regex DomainPart = new Regex(
            @"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$",
            RegexOptions.CultureInvariant);

        /// <summary>Whether <paramref name="address"/> (no prefix) is a syntactically valid SMTP address.</summary>
        public static bool IsValid(string? address)
        {
            if (string.IsNullOrEmpty(address) || address!.Length > 320)
            {
                return false;
            }

            int at = address.LastIndexOf('@');
            if (at <= 0 || at == address.Length - 1)
            {
                return false;
            }

            return LocalPart.IsMatch(address.Substring(0, at)) && IsValidDomain(address.Substring(at + 1));
        }

        public static bool IsValidDomain(string? domain) =>
            !string.IsNullOrEmpty(domain) && domain!.Length <= 255 && DomainPart.IsMatch(domain);

        public static string DomainOf(string address)
        {
            int at = address.LastIndexOf('@');
            return at < 0 ? string.Empty : address.Substring(at + 1);
        }

        /// <summary>Removes a leading <c>smtp:</c> (any case).</summary>
        public static string StripSmtpPrefix(string value) =>
            value.StartsWith("smtp:", StringComparison.OrdinalIgnoreCase) ? value.Substring(5) : value;

        /// <summary>
        /// Parses one entry of an EmailAddresses value. <c>SMTP:</c> marks the primary, <c>smtp:</c> (or any
        /// other case) a secondary; without a prefix the entry is an SMTP address whose role the caller decides.
        /// Throws the Exchange error for a non-SMTP prefix or a malformed address.
        /// </summary>
        public static ProxyEntry Parse(string entry)
        {
            if (entry == null)
            {
                throw new DataValidationException(ExoMessages.InvalidAddress(string.Empty));
            }

            string address = entry;
            bool primary = false;
            bool hasPrefix = false;
            int colon = entry.IndexOf(':');
            int at = entry.IndexOf('@');
            if (colon >= 0 && (at < 0 || colon < at))
            {
                string prefix = entry.Substring(0, colon);
                if (!prefix.Equals("smtp", StringComparison.OrdinalIgnoreCase))
                {
                    throw new RecipientTaskException(ExoMessages.NotSmtp(entry));
                }

                primary = string.Equals(prefix, "SMTP", StringComparison.Ordinal);
                hasPrefix = true;
                address = entry.Substring(colon + 1);
            }

            if (!IsValid(address))
            {
                throw new DataValidationException(ExoMessages.InvalidAddress(address));
            }

            return new ProxyEntry(address, primary, hasPrefix);
        }
    }
}
