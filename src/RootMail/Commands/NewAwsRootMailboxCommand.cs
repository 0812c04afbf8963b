using System.Management.Automation;
using RootMail.Operations;
using RootMail.Rules;

namespace RootMail.Commands
{
    /// <summary>Creates a shared mailbox for a pool, or adopts an existing one with its aliases.</summary>
    [Cmdlet(VerbsCommon.New, "AwsRootMailbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NewSet)]
    [OutputType(typeof(AwsRootMailbox))]
    public sealed class NewAwsRootMailboxCommand : RootMailCmdlet
    {
        const string NewSet = "New";
        const string AdoptSet = "Adopt";

        /// <summary>New: the mailbox name (default: the pool's prefix and the next number). Adopt: the existing mailbox's name or address.</summary>
        [Parameter(Position = 0, ParameterSetName = NewSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = AdoptSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Identity")]
        [AllowEmptyString]
        public string? Name { get; set; }

        [Parameter(ParameterSetName = NewSet, ValueFromPipelineByPropertyName = true)]
        public string? DisplayName { get; set; }

        [Parameter(ParameterSetName = NewSet, ValueFromPipelineByPropertyName = true)]
        public string? PrimarySmtpAddress { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AdoptSet)]
        public SwitchParameter Adopt { get; set; }

        [Parameter]
        public int Capacity { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PoolCompleter))]
        public string Pool { get; set; } = Limits.DefaultPool;

        protected override void ProcessRecord() => Invoke(() =>
        {
            var operations = new MailboxOperations(Session, OperationHost, () => Exchange);
            var capacity = IsBound(nameof(Capacity)) ? Capacity : (int?)null;
            WriteIfNotNull(Adopt
                ? operations.Adopt(Pool, Name!, capacity)
                : operations.New(Pool, Name, DisplayName, PrimarySmtpAddress, capacity));
        });
    }
}
