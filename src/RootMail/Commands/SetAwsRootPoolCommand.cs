using System.Management.Automation;
using RootMail.Operations;
using RootMail.Rules;

namespace RootMail.Commands
{
    /// <summary>Creates a pool or changes its settings.</summary>
    [Cmdlet(VerbsCommon.Set, "AwsRootPool", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AwsRootPool))]
    public sealed class SetAwsRootPoolCommand : RootMailCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(PoolCompleter))]
        public string Pool { get; set; } = Limits.DefaultPool;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Domain { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? AddressTemplate { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public int MailboxCapacity { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string? ForwardingAddress { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? MailboxNamePrefix { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord() => Invoke(() =>
        {
            var change = new PoolChange
            {
                Domain = Domain,
                AddressTemplate = AddressTemplate,
                MailboxCapacity = IsBound(nameof(MailboxCapacity)) ? MailboxCapacity : (int?)null,
                ForwardingAddress = ForwardingAddress,
                MailboxNamePrefix = MailboxNamePrefix,
            };
            var pool = new PoolOperations(Session, OperationHost).Set(Pool, change);
            if (PassThru) WriteIfNotNull(pool);
        });
    }
}
