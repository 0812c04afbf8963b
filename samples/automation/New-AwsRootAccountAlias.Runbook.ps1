<#
.SYNOPSIS
    Azure Automation runbook: hands out the root e-mail address for a new AWS account and, once AWS has
    created the account, registers the address to it.
.DESCRIPTION
    Runs on the PowerShell 5.1 and 7.x runtimes of Azure Automation, signed in with the Automation account's
    managed identity. Import RootMail into the Automation account first (out/package/RootMail.zip, from
    dotnet pack build/package/RootMail.Package.csproj), and ExchangeOnlineManagement too if the runbook may
    have to add new addresses.

    What it does:
    1. Connects to the registry with the managed identity (Connect-AwsRootRegistry -TableEndpoint
       -ManagedIdentity). That needs the role Storage Table Data Contributor on the table.
    2. Finds the alias this requester already holds for this account name (Assigned, not yet registered).
       A second run with the same RequestedBy and AccountName therefore returns the same address: a job that
       is started again, or the registration run of step 4, never hands out a second alias.
    3. Otherwise hands out a new one. A pre-provisioned (Available) alias takes two registry requests and no
       Exchange call, so the runbook connects to Exchange Online only when the pool has none left and RootMail
       has to add a new address (RootMail.ExchangeNotConnected): then it runs
       Connect-ExchangeOnline -ManagedIdentity -Organization <Organization> and tries again. Without
       -Organization the runbook needs no Exchange permission at all, and a dry pool fails the job with
       RootMail.ExchangeNotConnected, handing out nothing: provision more aliases from an admin session
       (New-AwsRootAlias -Count 250).
    4. With -AccountId, registers the address to that AWS account (Register-AwsAccountAlias). The same
       registration again is a no-op, so this step can be retried too.
    5. Writes one result object (Address, Status, AccountId, AccountName, RequestedBy, Mailbox) to the output
       stream for the next runbook step or a Logic App. -OutputJson $true writes it as one line of JSON instead
       (for a Logic App's "Get job output" followed by "Parse JSON").

    The hand-off to AWS, between the two runs:

        Run 1:  -RequestedBy alice@contoso.com -AccountName 'Payments Prod'
                -> Address aws-payments-prod-k3v9x2qa@contoso.com, Status Assigned
        AWS:    Organizations CreateAccount with that address as the root user's e-mail. With AWS Tools for
                PowerShell (AWS.Tools.Organizations), from the management account:
                    $request = New-ORGAccount -AccountName 'Payments Prod' -Email $result.Address
                    do {
                        Start-Sleep -Seconds 15
                        $status = Get-ORGAccountCreationStatus -CreateAccountRequestId $request.Id
                    } while ($status.State -eq 'IN_PROGRESS')
                    if ($status.State -ne 'SUCCEEDED') { throw "CreateAccount failed: $($status.FailureReason)" }
                or the CLI: aws organizations create-account --email <address> --account-name 'Payments Prod'
                (then aws organizations describe-create-account-status --create-account-request-id <id>).
                EMAIL_ALREADY_EXISTS cannot happen for a RootMail address: every address is new and unique.
        Run 2:  the same -RequestedBy and -AccountName, plus -AccountId $status.AccountId
                -> the same Address, Status Registered, AccountId 123456789012

    A single run with -AccountId (when the account exists already, e.g. created by another process that
    waited for its address) hands out and registers in one go.

    If CreateAccount fails for good, give the alias back with Remove-AwsRootAlias -Address <address> -Release
    (it was never registered, so it becomes Available again).
.PARAMETER RequestedBy
    The e-mail address of whoever asked for the AWS account.
.PARAMETER AccountName
    The AWS account's name. The pool's address template may put it in a new address
    (aws-{name}-{random}); together with RequestedBy it identifies the request across runs.
.PARAMETER AccountId
    The 12-digit AWS account ID, once AWS has created the account: the address is registered to it.
    Always a string: leading zeros are real.
.PARAMETER Pool
    The RootMail pool (default 'default').
.PARAMETER StorageTableEndpoint
    The registry's table endpoint, https://<account>.table.core.windows.net.
.PARAMETER TableName
    The registry table (default AwsRootMail).
.PARAMETER Organization
    The tenant's initial domain (contoso.onmicrosoft.com) for Connect-ExchangeOnline -ManagedIdentity. Only
    used when the pool has no pre-provisioned alias left. Leave it out for a runbook without Exchange
    permissions.
.PARAMETER ManagedIdentityClientId
    The client ID of a user-assigned managed identity; without it, the system-assigned identity signs in.
.PARAMETER RegistryConnectionString
    FOR REHEARSAL ONLY: a storage connection string used instead of the managed identity, e.g. Azurite's
    when the runbook is rehearsed against the local storage emulator and the RootMail.Simulator module.
    Job parameters are kept in the job history in clear text, so never pass a production key here.
.PARAMETER OutputJson
    $true writes the result as one line of JSON (ConvertTo-Json -Compress) instead of an object.
.OUTPUTS
    One object: Address, Status, AccountId, AccountName, RequestedBy, Mailbox.
.EXAMPLE
    # In the Automation account, a job with these parameters:
    #   RequestedBy=alice@contoso.com AccountName='Payments Prod' Organization=contoso.onmicrosoft.com
    #   StorageTableEndpoint=https://contosoawsroot.table.core.windows.net
.EXAMPLE
    # Rehearsal on a workstation, against Azurite and the Exchange Online simulator:
    Import-Module ./out/RootMail/RootMail.psd1, ./out/RootMail.Simulator/RootMail.Simulator.psd1
    ./samples/automation/New-AwsRootAccountAlias.Runbook.ps1 -RequestedBy alice@contoso.com -AccountName 'Payments Prod' `
        -Organization contoso.onmicrosoft.com -RegistryConnectionString $azuriteConnectionString -TableName Rehearsal
#>
param(
    [Parameter(Mandatory = $true)] [string] $RequestedBy,
    [Parameter(Mandatory = $true)] [string] $AccountName,
    [string] $AccountId,
    [string] $Pool = 'default',
    [string] $StorageTableEndpoint,
    [string] $TableName = 'AwsRootMail',
    [string] $Organization,
    [string] $ManagedIdentityClientId,
    [string] $RegistryConnectionString,
    [bool] $OutputJson = $false
)

$ErrorActionPreference = 'Stop'

# --- 1. The registry: managed identity in production, a connection string only for rehearsal.
if ($RegistryConnectionString) {
    Connect-AwsRootRegistry -ConnectionString $RegistryConnectionString -TableName $TableName | Out-Null
}
else {
    if (-not $StorageTableEndpoint) {
        throw 'Give -StorageTableEndpoint https://<account>.table.core.windows.net (the registry), or -RegistryConnectionString to rehearse.'
    }
    $identity = @{}
    if ($ManagedIdentityClientId) { $identity['ClientId'] = $ManagedIdentityClientId }
    Connect-AwsRootRegistry -TableEndpoint $StorageTableEndpoint -ManagedIdentity @identity -TableName $TableName | Out-Null
}

function Get-PendingAlias {
    # The alias this requester already holds for this account name and has not registered yet (the oldest, if several).
    $found = $null
    foreach ($alias in @(Get-AwsRootAlias -RequestedBy $RequestedBy -Pool $Pool)) {
        if ($alias.Status -eq 'Assigned' -and $alias.AccountName -eq $AccountName) {
            if ($null -eq $found -or $alias.AssignedAt -lt $found.AssignedAt) { $found = $alias }
        }
    }
    $found
}

function New-Alias {
    # --- 3. Hand out: registry only while the pool has Available aliases; Exchange only when it has none left.
    try {
        New-AwsRootAlias -RequestedBy $RequestedBy -AccountName $AccountName -Pool $Pool -ErrorAction Stop
    }
    catch {
        if ($_.FullyQualifiedErrorId -notlike 'RootMail.ExchangeNotConnected*' -or -not $Organization) { throw }
        $exchange = @{ ManagedIdentity = $true; Organization = $Organization; ShowBanner = $false }
        if ($ManagedIdentityClientId) { $exchange['ManagedIdentityAccountId'] = $ManagedIdentityClientId }
        Connect-ExchangeOnline @exchange
        New-AwsRootAlias -RequestedBy $RequestedBy -AccountName $AccountName -Pool $Pool -ErrorAction Stop
    }
}

# --- 2. and 4. One alias per request; with -AccountId, registered to the account.
$alias = $null
if ($AccountId) {
    # Checks the account ID before anything is written, and makes a repeated registration run a no-op.
    try { $alias = Get-AwsRootAlias -AccountId $AccountId -Pool $Pool -ErrorAction Stop }
    catch { if ($_.FullyQualifiedErrorId -notlike 'RootMail.AliasNotFound*') { throw } }
}
if ($null -eq $alias) {
    $alias = Get-PendingAlias
    if ($null -eq $alias) { $alias = New-Alias }
    if ($AccountId) {
        $alias = Register-AwsAccountAlias -Address $alias.Address -AccountId $AccountId -AccountName $AccountName -Pool $Pool -ErrorAction Stop
    }
}

# --- 5. The result, for the next step. Status as text, so that it reads the same after serialization.
$result = [pscustomobject][ordered]@{
    Address     = $alias.Address
    Status      = [string]$alias.Status
    AccountId   = $alias.AccountId
    AccountName = $alias.AccountName
    RequestedBy = $alias.RequestedBy
    Mailbox     = $alias.Mailbox
}
if ($OutputJson) { $result | ConvertTo-Json -Compress } else { $result }
