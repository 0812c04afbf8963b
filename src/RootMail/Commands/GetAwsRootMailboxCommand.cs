using System.Management.Automation;
using RootMail.Operations;
using RootMail.Rules;

namespace RootMail.Commands
{
    /// <summary>Gets the pool's mailboxes, one by name or address, or the one that receives an alias.</summary>
    [Cmdlet(VerbsCommon.Get, "AwsRootMailbox", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(AwsRootMailbox))]
    public sealed class GetAwsRootMailboxCommand : RootMailCmdlet
    {
        const string ListSet = "List";
        const string AddressSet = "ByAddress";
        const string AccountSet = "ByAccountId";

        [Parameter(Position = 0, ParameterSetName = ListSet)]
        [ArgumentCompleter(typeof(MailboxCompleter))]
        public string? Identity { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AddressSet, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(AddressCompleter))]
        public string Address { get; set; } = "";

        [Parameter(Mandatory = true, ParameterSetName = AccountSet)]
        [AllowEmptyString]
        public string AccountId { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PoolCompleter))]
        public string Pool { get; set; } = Limits.DefaultPool;

        protected override void ProcessRecord()
        {
            var operations = new MailboxOperations(Session, OperationHost, () => Exchange);
            switch (ParameterSetName)
            {
                case AddressSet: Invoke(() => WriteObject(operations.GetByAlias(Pool, Address, null))); break;
                case AccountSet: Invoke(() => WriteObject(operations.GetByAlias(Pool, null, AccountId))); break;
                default: WriteEach(() => operations.Get(Pool, Identity)); break;
            }
        }
    }
}
