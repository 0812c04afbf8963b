using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets simulated recipients, as Exchange Online's Get-Recipient.</para>
    /// <para type="description">By -Identity, by -Filter (for example "EmailAddresses -eq 'smtp:a@contoso.com'", which finds the recipient holding that proxy address), or every recipient when neither is given.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Recipient")]
    [OutputType(typeof(PSObject))]
    public sealed class GetRecipientCommand : RecipientQueryCommandBase
    {
        internal override ExchangeCommand Command => ExchangeCommand.GetRecipient;

        internal override object? ErrorTarget => (object?)Identity ?? Filter;

        internal override PSObject Shape(MailboxSnapshot mailbox) => mailbox.ToRecipient();
    }
}
