using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets simulated shared mailboxes, as Exchange Online's Get-Mailbox.</para>
    /// <para type="description">By -Identity (Name, Alias, any proxy address, Guid or ExternalDirectoryObjectId), by -Filter, or every mailbox when -Identity is absent or empty, as Exchange does.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Mailbox")]
    [OutputType(typeof(PSObject))]
    public sealed class GetMailboxCommand : RecipientQueryCommandBase
    {
        internal override ExchangeCommand Command => ExchangeCommand.GetMailbox;

        internal override object? ErrorTarget => Identity;

        internal override PSObject Shape(MailboxSnapshot mailbox) => mailbox.ToMailbox();
    }
}
