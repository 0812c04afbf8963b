using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Changes a simulated shared mailbox, as Exchange Online's Set-Mailbox.</para>
    /// <para type="description">-EmailAddresses takes @{Add=...; Remove=...} or a plain list that replaces every address. The call is atomic: everything is validated first and nothing changes on any error.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "Mailbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class SetMailboxCommand : ExchangeCommandBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public string Identity { get; set; } = string.Empty;

        [Parameter]
        public object? EmailAddresses { get; set; }

        [Parameter]
        public string? PrimarySmtpAddress { get; set; }

        [Parameter]
        public string? ForwardingAddress { get; set; }

        [Parameter]
        public string? ForwardingSmtpAddress { get; set; }

        [Parameter]
        public bool DeliverToMailboxAndForward { get; set; }

        [Parameter]
        public bool HiddenFromAddressListsEnabled { get; set; }

        [Parameter] public string? CustomAttribute1 { get; set; }
        [Parameter] public string? CustomAttribute2 { get; set; }
        [Parameter] public string? CustomAttribute3 { get; set; }
        [Parameter] public string? CustomAttribute4 { get; set; }
        [Parameter] public string? CustomAttribute5 { get; set; }
        [Parameter] public string? CustomAttribute6 { get; set; }
        [Parameter] public string? CustomAttribute7 { get; set; }
        [Parameter] public string? CustomAttribute8 { get; set; }
        [Parameter] public string? CustomAttribute9 { get; set; }
        [Parameter] public string? CustomAttribute10 { get; set; }
        [Parameter] public string? CustomAttribute11 { get; set; }
        [Parameter] public string? CustomAttribute12 { get; set; }
        [Parameter] public string? CustomAttribute13 { get; set; }
        [Parameter] public string? CustomAttribute14 { get; set; }
        [Parameter] public string? CustomAttribute15 { get; set; }

        internal override ExchangeCommand Command => ExchangeCommand.SetMailbox;

        internal override object? ErrorTarget => Identity;

        private bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

        internal override bool Execute(Tenant tenant, List<object> output)
        {
            SetMailboxRequest request = BuildRequest();
            if (!ShouldProcess(Identity, "Set mailbox"))
            {
                return false;
            }

            tenant.SetMailbox(Identity, request);
            return true;
        }

        /// <summary>Parses and syntax-checks every parameter; the tenant then checks the rest under its lock.</summary>
        private SetMailboxRequest BuildRequest()
        {
            var request = new SetMailboxRequest();

            if (Bound(nameof(EmailAddresses)) && Bound(nameof(PrimarySmtpAddress)))
            {
                throw new RecipientTaskException(ExoMessages.EmailAddressesAndPrimary);
            }

            if (Bound(nameof(EmailAddresses)))
            {
                request.EmailAddresses = ParseEmailAddresses(EmailAddresses);
            }
            else if (Bound(nameof(PrimarySmtpAddress)))
            {
                string address = SmtpAddress.StripSmtpPrefix(PrimarySmtpAddress ?? string.Empty);
                if (!SmtpAddress.IsValid(address))
                {
                    throw new DataValidationException(ExoMessages.InvalidAddress(address));
                }

                request.EmailAddresses = EmailAddressChange.ForModify(
                    new List<ProxyEntry> { new ProxyEntry(address, true, true) }, new List<ProxyEntry>());
            }

            if (Bound(nameof(ForwardingAddress)))
            {
                request.ForwardingAddressSet = true;
                request.ForwardingAddress = string.IsNullOrEmpty(ForwardingAddress) ? null : ForwardingAddress;
            }

            if (Bound(nameof(ForwardingSmtpAddress)))
            {
                request.ForwardingSmtpAddressSet = true;
                if (!string.IsNullOrEmpty(ForwardingSmtpAddress))
                {
                    string address = SmtpAddress.StripSmtpPrefix(ForwardingSmtpAddress!);
                    if (!SmtpAddress.IsValid(address))
                    {
                        throw new DataValidationException(ExoMessages.InvalidAddress(address));
                    }

                    request.ForwardingSmtpAddress = "smtp:" + address;
                }
            }

            if (Bound(nameof(DeliverToMailboxAndForward)))
            {
                request.DeliverToMailboxAndForward = DeliverToMailboxAndForward;
            }

            if (Bound(nameof(HiddenFromAddressListsEnabled)))
            {
                request.HiddenFromAddressListsEnabled = HiddenFromAddressListsEnabled;
            }

            string?[] attributes =
            {
                CustomAttribute1, CustomAttribute2, CustomAttribute3, CustomAttribute4, CustomAttribute5,
                CustomAttribute6, CustomAttribute7, CustomAttribute8, CustomAttribute9, CustomAttribute10,
                CustomAttribute11, CustomAttribute12, CustomAttribute13, CustomAttribute14, CustomAttribute15,
            };
            for (int i = 0; i < attributes.Length; i++)
            {
                if (!Bound("CustomAttribute" + (i + 1).ToString(CultureInfo.InvariantCulture)))
                {
                    continue;
                }

                string? value = attributes[i];
                if (value != null && value.Length > Tenant.MaxCustomAttributeLength)
                {
                    throw new DataValidationException(ExoMessages.TooLong(Tenant.MaxCustomAttributeLength, value.Length));
                }

                request.CustomAttributes[i + 1] = value;
            }

            return request;
        }

        /// <summary>
        /// @{Add=..; Remove=..} (keys case-insensitive, values a string or a list) or a plain list that replaces
        /// every address. In Add, an address without prefix is a secondary (smtp); in a plain list the SMTP: entry,
        /// or else the first address, is the primary.
        /// </summary>
        private static EmailAddressChange ParseEmailAddresses(object? value)
        {
            value = Unwrap(value);
            if (value == null)
            {
                throw new RecipientTaskException(ExoMessages.EmptyAddressList);
            }

            if (value is IDictionary table)
            {
                var add = new List<ProxyEntry>();
                var remove = new List<ProxyEntry>();
                foreach (DictionaryEntry entry in table)
                {
                    string key = Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty;
                    List<ProxyEntry> target;
                    if (key.Equals("Add", StringComparison.OrdinalIgnoreCase) || key.Equals("+", StringComparison.Ordinal))
                    {
                        target = add;
                    }
                    else if (key.Equals("Remove", StringComparison.OrdinalIgnoreCase) || key.Equals("-", StringComparison.Ordinal))
                    {
                        target = remove;
                    }
                    else
                    {
                        throw new RecipientTaskException(ExoMessages.BadEmailAddressesKey(key));
                    }

                    foreach (string address in ToStrings(entry.Value))
                    {
                        target.Add(SmtpAddress.Parse(address));
                    }
                }

                return EmailAddressChange.ForModify(add, remove);
            }

            var entries = new List<ProxyEntry>();
            foreach (string address in ToStrings(value))
            {
                entries.Add(SmtpAddress.Parse(address));
            }

            return EmailAddressChange.ForReplace(entries);
        }
    }
}
