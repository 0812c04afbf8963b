using System;
using System.Text.RegularExpressions;

namespace RootMail.Rules
{
    /// <summary>
    /// Input rules. Each method returns the normalised value or throws a RootMailException; nothing is written
    /// before every input of an operation has passed here. Values that reach table keys are restricted to
    /// characters that can never form OData syntax or an invalid key ('/', '\', '#', '?', quotes, spaces).
    /// </summary>
    public static class Validate
    {
        static readonly Regex AccountIdPattern = new Regex("^[0-9]{12}$", RegexOptions.CultureInvariant);
        // Local part: the characters AWS and Exchange both accept and that are safe in table keys; no leading, trailing or double dot.
        static readonly Regex LocalPartPattern = new Regex(@"^[a-z0-9_+-]+(\.[a-z0-9_+-]+)*$", RegexOptions.CultureInvariant);
        static readonly Regex DomainLabelPattern = new Regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant);
        static readonly Regex PoolNamePattern = new Regex("^[a-z0-9][a-z0-9_-]{0,31}$", RegexOptions.CultureInvariant);
        static readonly Regex MailboxNamePattern = new Regex("^[A-Za-z0-9]([A-Za-z0-9 ._-]{0,62}[A-Za-z0-9_-])?$", RegexOptions.CultureInvariant);
        static readonly Regex TableNamePattern = new Regex("^[A-Za-z][A-Za-z0-9]{2,62}$", RegexOptions.CultureInvariant);

        public static AliasStatus Status(string value)
        {
            foreach (AliasStatus status in Enum.GetValues(typeof(AliasStatus)))
                if (string.Equals(status.ToString(), value, StringComparison.OrdinalIgnoreCase)) return status;
            throw Errors.InvalidStatusFilter(value);
        }

        public static string AccountId(string? value)
        {
            if (value is null || !AccountIdPattern.IsMatch(value)) throw Errors.InvalidAccountId(value);
            return value;
        }

        /// <summary>A person's or mailbox's e-mail address (RequestedBy, ForwardingAddress, PrimarySmtpAddress), lowercased.</summary>
        public static string Email(string parameter, string? value)
        {
            var why = EmailProblem(value, 254);
            if (why != null) throw Errors.InvalidEmail(parameter, value, why);
            return value!.ToLowerInvariant();
        }

        /// <summary>An alias address: a valid address of at most 64 characters, lowercased; with a pool domain, in that domain.</summary>
        public static string AliasAddress(string? value, string? poolName = null, string? poolDomain = null)
        {
            var why = EmailProblem(value, Limits.MaxAliasLength);
            if (why != null) throw Errors.InvalidAliasAddress(value, why);
            var address = value!.ToLowerInvariant();
            if (poolDomain != null && !string.Equals(DomainOf(address), poolDomain, StringComparison.Ordinal))
                throw Errors.AddressNotInPoolDomain(address, poolName ?? "", poolDomain);
            return address;
        }

        /// <summary>True when the value is a valid alias address (used to pick root aliases out of a mailbox's proxies).</summary>
        public static bool IsAliasAddress(string? value) => EmailProblem(value, Limits.MaxAliasLength) == null;

        public static string DomainOf(string address) => address.Substring(address.LastIndexOf('@') + 1);

        public static string Domain(string? value)
        {
            if (value is null || !IsDomain(value.ToLowerInvariant())) throw Errors.InvalidDomain(value);
            return value.ToLowerInvariant();
        }

        public static string PoolName(string? value)
        {
            var lower = value?.ToLowerInvariant();
            if (lower is null || !PoolNamePattern.IsMatch(lower)) throw Errors.InvalidPoolName(value);
            return lower;
        }

        public static string MailboxName(string parameter, string? value)
        {
            if (value is null || !MailboxNamePattern.IsMatch(value)) throw Errors.InvalidMailboxName(parameter, value);
            return value;
        }

        /// <summary>A mailbox given by name or by primary SMTP address.</summary>
        public static string MailboxIdentity(string parameter, string? value)
        {
            if (value != null && value.IndexOf('@') >= 0) return Email(parameter, value);
            return MailboxName(parameter, value);
        }

        public static string? AccountName(string? value)
        {
            if (value is null) return null;
            if (value.Length == 0 || value.Length > Limits.MaxAccountNameLength) throw Errors.InvalidAccountName(value);
            foreach (var c in value) if (c < 0x20 || c > 0x7E) throw Errors.InvalidAccountName(value);
            return value;
        }

        public static int Capacity(string parameter, int value)
        {
            if (value < 1 || value > Limits.ExchangeProxyAddressLimit) throw Errors.InvalidCapacity(parameter, value);
            return value;
        }

        public static string TableName(string? value)
        {
            if (value is null || !TableNamePattern.IsMatch(value)) throw Errors.InvalidTableName(value);
            return value;
        }

        static string? EmailProblem(string? value, int maxLength)
        {
            if (string.IsNullOrEmpty(value)) return "it is empty";
            if (value!.Length > maxLength) return $"it is {value.Length} characters long, and at most {maxLength} are allowed";
            foreach (var c in value) if (c > 0x7E || c <= 0x20) return "it may only contain printable ASCII characters, and no spaces";
            var lower = value.ToLowerInvariant();
            int at = lower.LastIndexOf('@');
            if (at <= 0 || lower.IndexOf('@') != at) return "it needs exactly one '@' with a name before it";
            var local = lower.Substring(0, at);
            var domain = lower.Substring(at + 1);
            if (local.Length > 64) return "the part before '@' is longer than 64 characters";
            if (!LocalPartPattern.IsMatch(local)) return "the part before '@' may only contain letters, digits and . _ + - (no leading, trailing or double dot)";
            if (!IsDomain(domain)) return "the part after '@' is not a valid domain such as contoso.com";
            return null;
        }

        static bool IsDomain(string domain)
        {
            if (domain.Length == 0 || domain.Length > 253) return false;
            var labels = domain.Split('.');
            if (labels.Length < 2) return false;
            foreach (var label in labels) if (!DomainLabelPattern.IsMatch(label)) return false;
            return true;
        }
    }
}
