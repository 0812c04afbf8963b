using namespace System.Net

# PUT /api/aliases/{address}   body: { "accountId": "012345678901", "accountName": "Payments Prod" }   (optionally ?pool=<pool>)
# Registers the alias to the AWS account that was created with it. Send the account ID as a JSON string: leading
# zeros are real. The same registration again is a no-op.
# 200 with the Registered alias; 404 RootMail.AliasNotFound; 400 for a malformed value; 409 when the alias or the
# account is registered otherwise, or the alias was never handed out.
param($Request, $TriggerMetadata)

$ErrorActionPreference = 'Stop'
try {
    Initialize-RootMailConnection
    $register = @{
        Address   = [string](Get-RootMailRequestValue $Request address)
        AccountId = [string](Get-RootMailRequestValue $Request accountId -FromBody)
        Pool      = Get-RootMailPool $Request
    }
    $accountName = Get-RootMailRequestValue $Request accountName -FromBody
    if ($accountName) { $register['AccountName'] = $accountName }

    $alias = Register-AwsAccountAlias @register
    $response = New-RootMailHttpResponse 200 ($alias | ConvertTo-RootMailHttpAlias)
}
catch {
    $response = ConvertTo-RootMailHttpError $_
}

Push-OutputBinding -Name Response -Value ([HttpResponseContext]$response)
