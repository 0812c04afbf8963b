using System.Management.Automation;
using RootMail.Operations;
using RootMail.Rules;

namespace RootMail.Commands
{
    /// <summary>Hands out an alias to a requester, or provisions Available aliases with -Count.</summary>
    [Cmdlet(VerbsCommon.New, "AwsRootAlias", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = HandOutSet)]
    [OutputType(typeof(AwsRootAlias))]
    public sealed class NewAwsRootAliasCommand : RootMailCmdlet
    {
        const string HandOutSet = "HandOut";
        const string ProvisionSet = "Provision";

        /// <summary>The e-mail address of whoever asks for the alias.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = HandOutSet, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string RequestedBy { get; set; } = "";

        /// <summary>The AWS account's name; the pool's {name} token puts it in newly made addresses.</summary>
        [Parameter(ParameterSetName = HandOutSet, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string? AccountName { get; set; }

        /// <summary>How many Available aliases to add.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ProvisionSet)]
        public int Count { get; set; }

        /// <summary>Only this mailbox (name or address).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(MailboxCompleter))]
        public string? Mailbox { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PoolCompleter))]
        public string Pool { get; set; } = Limits.DefaultPool;

        protected override void ProcessRecord()
        {
            var operations = new AliasOperations(Session, OperationHost, () => Exchange);
            if (ParameterSetName == ProvisionSet) WriteEach(() => operations.Provision(Pool, Count, Mailbox));
            else Invoke(() => WriteIfNotNull(operations.HandOut(Pool, RequestedBy, AccountName, Mailbox)));
        }
    }
}
