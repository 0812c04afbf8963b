using namespace System.Net

# POST /api/aliases   body: { "requestedBy": "alice@contoso.com", "accountName": "Payments Prod" }   (optionally ?pool=<pool>)
# Hands out an alias for a new AWS account: a pre-provisioned one (registry only), or a new address when the app
# is connected to Exchange Online (ROOTMAIL_EXCHANGE_ORGANIZATION).
# 201 with the Assigned alias; 400 for a malformed value; 503 when the pool has nothing to hand out.
param($Request, $TriggerMetadata)

$ErrorActionPreference = 'Stop'
try {
    Initialize-RootMailConnection
    $handOut = @{
        RequestedBy = [string](Get-RootMailRequestValue $Request requestedBy -FromBody)
        Pool        = Get-RootMailPool $Request
    }
    $accountName = Get-RootMailRequestValue $Request accountName -FromBody
    if ($accountName) { $handOut['AccountName'] = $accountName }

    $alias = New-AwsRootAlias @handOut
    $response = New-RootMailHttpResponse 201 ($alias | ConvertTo-RootMailHttpAlias)
}
catch {
    $response = ConvertTo-RootMailHttpError $_
}

Push-OutputBinding -Name Response -Value ([HttpResponseContext]$response)
