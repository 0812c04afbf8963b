# Helpers shared by the four HTTP functions of the RootMail Functions app: the registry connection from the app
# settings, request values, alias bodies, and RootMail errors as HTTP status codes. The PowerShell worker puts
# the app's Modules folder on PSModulePath, so profile.ps1 and every run.ps1 find these functions without an
# Import-Module. Uses only commands of the core PowerShell engine and RootMail.

function Initialize-RootMailConnection {
    <#
    .SYNOPSIS
        Connects this worker runspace to the RootMail registry, from the app settings, once.
    .DESCRIPTION
        App settings (environment variables):
          ROOTMAIL_TABLE_ENDPOINT              https://<account>.table.core.windows.net; the app's managed identity
                                               signs in (role Storage Table Data Contributor on the table)
          ROOTMAIL_MANAGED_IDENTITY_CLIENT_ID  optional: the client ID of a user-assigned managed identity
          ROOTMAIL_TABLE_NAME                  optional: the registry table (default AwsRootMail)
          ROOTMAIL_CONNECTION_STRING           REHEARSAL ONLY: a storage connection string (e.g. Azurite's) used
                                               instead of the managed identity
        profile.ps1 calls it at a cold start; every function calls it again, which costs nothing once connected and
        connects when the cold start could not (a role assignment can take 30 minutes to apply). A failure is the
        terminating error RootMail.RegistryNotConnected, with RootMail's reason; no setting's value is shown.
    #>
    [CmdletBinding()]
    param()

    if ($script:Connected) { return }
    $table = 'AwsRootMail'
    if ($env:ROOTMAIL_TABLE_NAME) { $table = $env:ROOTMAIL_TABLE_NAME }
    try {
        if ($env:ROOTMAIL_CONNECTION_STRING) {
            Connect-AwsRootRegistry -ConnectionString $env:ROOTMAIL_CONNECTION_STRING -TableName $table -ErrorAction Stop | Out-Null
        }
        elseif ($env:ROOTMAIL_TABLE_ENDPOINT) {
            $identity = @{}
            if ($env:ROOTMAIL_MANAGED_IDENTITY_CLIENT_ID) { $identity['ClientId'] = $env:ROOTMAIL_MANAGED_IDENTITY_CLIENT_ID }
            Connect-AwsRootRegistry -TableEndpoint $env:ROOTMAIL_TABLE_ENDPOINT -ManagedIdentity @identity -TableName $table -ErrorAction Stop | Out-Null
        }
        else {
            throw 'Set the app setting ROOTMAIL_TABLE_ENDPOINT to the registry''s table endpoint (https://<account>.table.core.windows.net).'
        }
    }
    catch {
        $reason = [System.InvalidOperationException]::new("The function app cannot connect to the RootMail registry. $($_.Exception.Message)", $_.Exception)
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            $reason, 'RootMail.RegistryNotConnected', [System.Management.Automation.ErrorCategory]::ConnectionError, $null))
    }
    $script:Connected = $true
}

function Get-RootMailRequestValue {
    <#
    .SYNOPSIS
        A value of the request by name (case-insensitive): from the route parameters and the query, or with
        -FromBody from the JSON body (which the worker gives as a hashtable). $null when absent or empty.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] $Request,
        [Parameter(Mandatory = $true, Position = 1)] [string] $Name,
        [switch] $FromBody
    )

    $sources = if ($FromBody) { @($Request.Body) } else { @($Request.Params, $Request.Query) }
    foreach ($source in $sources) {
        if ($source -isnot [System.Collections.IDictionary]) { continue }
        foreach ($key in @($source.Keys)) {
            if ($key -eq $Name -and $null -ne $source[$key] -and [string]$source[$key] -ne '') { return [string]$source[$key] }
        }
    }
    $null
}

function Get-RootMailPool {
    <# .SYNOPSIS The pool of the request: ?pool=..., else the app setting ROOTMAIL_POOL, else 'default'. #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] $Request)

    $pool = Get-RootMailRequestValue $Request pool
    if (-not $pool) { $pool = $env:ROOTMAIL_POOL }
    if (-not $pool) { $pool = 'default' }
    $pool
}

function ConvertTo-RootMailHttpAlias {
    <#
    .SYNOPSIS
        An alias as a response body: plain strings (status as its name, times in ISO 8601), so that the worker's
        JSON conversion gives the same document on every runtime.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, ValueFromPipeline = $true)] $Alias)

    process {
        $body = [ordered]@{
            address     = $Alias.Address
            status      = [string]$Alias.Status
            accountId   = $Alias.AccountId
            accountName = $Alias.AccountName
            requestedBy = $Alias.RequestedBy
            mailbox     = $Alias.Mailbox
            pool        = $Alias.Pool
        }
        foreach ($name in 'CreatedAt', 'AssignedAt', 'RegisteredAt', 'RetiredAt') {
            $at = $Alias.$name
            $body[$name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1)] = if ($null -ne $at) { $at.ToString('o', [System.Globalization.CultureInfo]::InvariantCulture) } else { $null }
        }
        $body
    }
}

function New-RootMailHttpResponse {
    <# .SYNOPSIS The fields of an HttpResponseContext: a status code and a JSON body. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] [int] $StatusCode,
        [Parameter(Position = 1)] $Body
    )

    @{ StatusCode = [System.Net.HttpStatusCode]$StatusCode; ContentType = 'application/json'; Body = $Body }
}

function Get-RootMailHttpStatus {
    <# .SYNOPSIS The HTTP status code for a RootMail error id. #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] [string] $ErrorId)

    switch -Wildcard ($ErrorId) {
        'RootMail.AliasNotFound' { return 404 }
        'RootMail.PoolNotFound' { return 404 }
        'RootMail.Invalid*' { return 400 }
        'RootMail.AddressNotInPoolDomain' { return 400 }
        'RootMail.AccountAlreadyRegistered' { return 409 }
        'RootMail.AliasAlreadyRegistered' { return 409 }
        'RootMail.AliasNotAssigned' { return 409 }
        'RootMail.CannotRelease' { return 409 }
        # Nothing to hand out until someone provisions aliases, or a service is briefly unreachable: try later.
        'RootMail.PoolExhausted' { return 503 }
        'RootMail.ExchangeNotConnected' { return 503 }
        'RootMail.ExchangeUnavailable' { return 503 }
        'RootMail.RegistryUnavailable' { return 503 }
        'RootMail.RegistryBusy' { return 503 }
    }
    500
}

function ConvertTo-RootMailHttpError {
    <#
    .SYNOPSIS
        An error as a response: the RootMail error id and its message (RootMail's messages never hold a secret).
        Any other error becomes 500 with a generic message; its details go to the function log only. Errors of
        status 500 and above are also logged as warnings.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] [System.Management.Automation.ErrorRecord] $ErrorRecord)

    $id = ([string]$ErrorRecord.FullyQualifiedErrorId).Split(',')[0]
    if ($id -like 'RootMail.*') {
        $message = $ErrorRecord.Exception.Message
    }
    else {
        $id = 'InternalServerError'
        $message = 'An unexpected error occurred. The function log has the details.'
    }
    $status = Get-RootMailHttpStatus $id
    if ($status -ge 500) { $PSCmdlet.WriteWarning("HTTP $status, $($id): $($ErrorRecord.Exception.Message)") }
    New-RootMailHttpResponse $status ([ordered]@{ error = $id; message = $message })
}

function New-RootMailHttpBadRequest {
    <# .SYNOPSIS 400 with the app's own error id RootMail.InvalidRequest, for a request that names no alias. #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] [string] $Message)

    New-RootMailHttpResponse 400 ([ordered]@{ error = 'RootMail.InvalidRequest'; message = $Message })
}

Export-ModuleMember -Function Initialize-RootMailConnection, Get-RootMailRequestValue, Get-RootMailPool, ConvertTo-RootMailHttpAlias,
    New-RootMailHttpResponse, Get-RootMailHttpStatus, ConvertTo-RootMailHttpError, New-RootMailHttpBadRequest
