using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Records a permission on a simulated mailbox, as Exchange Online's Add-MailboxPermission.</para>
    /// <para type="description">-User is recorded as given; it need not be a recipient of the simulated tenant.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "MailboxPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSObject))]
    public sealed class AddMailboxPermissionCommand : ExchangeCommandBase
    {
        private static readonly string[] ValidRights =
        {
            "ChangeOwner", "ChangePermission", "DeleteItem", "ExternalAccount", "FullAccess", "ReadPermission",
        };

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public string Identity { get; set; } = string.Empty;

        [Parameter(Mandatory = true)]
        public string User { get; set; } = string.Empty;

        [Parameter(Mandatory = true)]
        public string[] AccessRights { get; set; } = Array.Empty<string>();

        [Parameter]
        public bool AutoMapping { get; set; } = true;

        [Parameter]
        public string InheritanceType { get; set; } = "All";

        internal override ExchangeCommand Command => ExchangeCommand.AddMailboxPermission;

        internal override object? ErrorTarget => Identity;

        internal override bool Execute(Tenant tenant, List<object> output)
        {
            var rights = new List<string>();
            foreach (string right in AccessRights.SelectMany(r => (r ?? string.Empty).Split(',')).Select(r => r.Trim()))
            {
                string? canonical = ValidRights.FirstOrDefault(v => v.Equals(right, StringComparison.OrdinalIgnoreCase));
                if (canonical == null)
                {
                    throw new DataValidationException(ExoMessages.BadAccessRight(right));
                }

                if (!rights.Contains(canonical))
                {
                    rights.Add(canonical);
                }
            }

            if (!ShouldProcess(Identity, $"Add mailbox permission {string.Join(",", rights)} for user \"{User}\""))
            {
                return false;
            }

            string name = tenant.AddPermission(Identity, User, rights, AutoMapping, InheritanceType);
            output.Add(MailboxSnapshot.ToPermission(name, User, rights.ToArray(), InheritanceType));
            return true;
        }
    }
}
