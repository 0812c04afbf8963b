using System;
using System.Management.Automation;

namespace RootMail.Simulator
{
    /// <summary>
    /// Base class of every error the simulated Exchange commands report. The cmdlets write these as
    /// non-terminating <see cref="ErrorRecord"/>s whose error ID is the exception's class name, so the
    /// FullyQualifiedErrorId reads like <c>ManagementObjectNotFoundException,RootMail.Simulator.Commands.SetMailboxCommand</c>.
    /// </summary>
    public abstract class ExoSimulatorException : Exception
    {
        protected ExoSimulatorException(string message, ErrorCategory category)
            : base(message)
        {
            Category = category;
        }

        /// <summary>The PowerShell error category the record is written with.</summary>
        public ErrorCategory Category { get; }
    }

    /// <summary>The identity does not resolve to any recipient.</summary>
    public sealed class ManagementObjectNotFoundException : ExoSimulatorException
    {
        public ManagementObjectNotFoundException(string message) : base(message, ErrorCategory.ObjectNotFound) { }
    }

    /// <summary>The identity resolves to more than one recipient.</summary>
    public sealed class ManagementObjectAmbiguousException : ExoSimulatorException
    {
        public ManagementObjectAmbiguousException(string message) : base(message, ErrorCategory.InvalidArgument) { }
    }

    /// <summary>A proxy address is already held by another recipient of the tenant.</summary>
    public sealed class ProxyAddressExistsException : ExoSimulatorException
    {
        public ProxyAddressExistsException(string message) : base(message, ErrorCategory.ResourceExists) { }
    }

    /// <summary>The change would leave a recipient with more than 400 proxy addresses.</summary>
    public sealed class ProxyAddressLimitExceededException : ExoSimulatorException
    {
        public ProxyAddressLimitExceededException(string message) : base(message, ErrorCategory.LimitsExceeded) { }
    }

    /// <summary>A value is malformed or too long (addresses, aliases, names, custom attributes).</summary>
    public sealed class DataValidationException : ExoSimulatorException
    {
        public DataValidationException(string message) : base(message, ErrorCategory.InvalidData) { }
    }

    /// <summary>An object with that name exists already.</summary>
    public sealed class ADObjectAlreadyExistsException : ExoSimulatorException
    {
        public ADObjectAlreadyExistsException(string message) : base(message, ErrorCategory.ResourceExists) { }
    }

    /// <summary>A request Exchange refuses for another reason (domain not accepted, primary removal, ...).</summary>
    public sealed class RecipientTaskException : ExoSimulatorException
    {
        public RecipientTaskException(string message) : base(message, ErrorCategory.InvalidArgument) { }
    }

    /// <summary>The -Filter text is not a filter the simulator understands.</summary>
    public sealed class InvalidFilterException : ExoSimulatorException
    {
        public InvalidFilterException(string message) : base(message, ErrorCategory.InvalidArgument) { }
    }

    /// <summary>An injected transient server error (Set-ExoSimulatorFault).</summary>
    public sealed class TransientServerException : ExoSimulatorException
    {
        public TransientServerException() : base(ExoMessages.Transient, ErrorCategory.ResourceUnavailable) { }
    }

    /// <summary>An injected throttling error (Set-ExoSimulatorFault).</summary>
    public sealed class ThrottlingException : ExoSimulatorException
    {
        public ThrottlingException() : base(ExoMessages.Throttled, ErrorCategory.LimitsExceeded) { }
    }

    /// <summary>The texts of the errors the simulator reports, Exchange Online's own where known.</summary>
    internal static class ExoMessages
    {
        internal const string ServerName = "AM6PR01MB1234.EURPRD01.PROD.OUTLOOK.COM";

        internal const string NotConnected =
            "You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.";

        internal const string Transient =
            "The server encountered an internal error: an unexpected error occurred while processing the request. Please try again later.";

        internal const string Throttled =
            "Micro delay applied. Your request was throttled because too many requests were made. Please retry after 2 seconds.";

        internal static string NotFound(string identity) =>
            $"The operation couldn't be performed because object '{identity}' couldn't be found on '{ServerName}'.";

        internal static string Ambiguous(string identity) =>
            $"The operation couldn't be performed because '{identity}' matches multiple entries.";

        internal static string ProxyInUse(string proxy, string ownerName) =>
            $"The proxy address \"{proxy}\" is already being used by the proxy addresses or LegacyExchangeDN of \"{ownerName}\". Please choose another proxy address.";

        internal static string ProxyLimit(string name, int count) =>
            $"The number of proxy addresses for \"{name}\" would be {count}; the maximum supported number of recipient proxy addresses is {Tenant.MaxProxyAddresses}.";

        internal static string InvalidAddress(string address) =>
            $"The e-mail address \"{address}\" isn't correct. Please use this format: user name, the @ sign, followed by the domain name. For example, tonysmith@contoso.com or tony.smith@contoso.com.";

        internal static string DomainNotAccepted(string domain, string proxy) =>
            $"The domain \"{domain}\" of the proxy address \"{proxy}\" isn't an accepted domain in this organization.";

        internal const string MultiplePrimaries =
            "There are multiple primary SMTP addresses. Please ensure there is only one primary address for each address type.";

        internal static string RemovePrimary(string address, string name) =>
            $"The primary SMTP address \"{address}\" of \"{name}\" can't be removed. Make another address the primary SMTP address first.";

        internal static string NotSmtp(string entry) =>
            $"The proxy address \"{entry}\" isn't an SMTP address; the simulator only supports SMTP proxy addresses (\"SMTP:\" primary, \"smtp:\" secondary).";

        internal static string TooLong(int max, int actual) =>
            $"The length of the property is too long. The maximum length is {max} and the length of the value provided is {actual}.";

        internal const string EmptyName = "The Name property can't be empty.";

        internal static string NameInUse(string name) =>
            $"The name \"{name}\" is already being used. Please try another name.";

        internal static string InvalidAlias(string alias) =>
            $"The alias \"{alias}\" isn't valid. An alias can contain letters, numbers and the characters ! # $ % & ' * + - / = ? ^ _ ` {{ | }} ~, with periods only between other characters, and can be at most 64 characters long.";

        internal static string AliasFromName(string name) =>
            $"An alias can't be derived from the name \"{name}\". Use the Alias parameter.";

        internal const string SharedOnly =
            "The Exchange Online simulator only simulates shared mailboxes. Use New-Mailbox -Shared.";

        internal const string EmptyAddressList =
            "The EmailAddresses value can't be empty: a mailbox needs a primary SMTP address.";

        internal static string BadEmailAddressesKey(string key) =>
            $"The EmailAddresses hashtable key \"{key}\" isn't valid. Use Add and/or Remove.";

        internal const string EmailAddressesAndPrimary =
            "The EmailAddresses and PrimarySmtpAddress parameters can't be used together.";

        internal static string BadResultSize(string value) =>
            $"Cannot bind parameter 'ResultSize' to the value \"{value}\". Specify a positive number or \"Unlimited\".";

        internal const string ResultSizeWarning =
            "By default, only the first 1000 items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify \"-ResultSize Unlimited\".";

        internal static string BadAccessRight(string right) =>
            $"The access right \"{right}\" isn't valid. Valid values are ChangeOwner, ChangePermission, DeleteItem, ExternalAccount, FullAccess and ReadPermission.";
    }
}
