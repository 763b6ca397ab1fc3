// Role assignments on the storage account: the function app's system-assigned identity may read and
// write blobs (the datasets, the time_consumption document, the duration logs; and the host's own
// blobs when AzureWebJobsStorage is switched to an identity-based connection); an optional user or
// service principal may upload datasets.

@description('Storage account the roles apply to.')
param storageAccountName string

@description('Principal id of the function app\'s system-assigned identity.')
param functionPrincipalId string

@description('Object id of a user or service principal to be given Storage Blob Data Contributor; empty: none.')
param userPrincipalId string = ''

@description('User or ServicePrincipal: the type of userPrincipalId.')
@allowed([
  'User'
  'ServicePrincipal'
])
param userPrincipalType string = 'User'

// Built-in role definition ids.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource functionBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionPrincipalId, storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
  }
}

resource userBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(storage.id, userPrincipalId, storageBlobDataContributor)
  scope: storage
  properties: {
    principalId: userPrincipalId
    principalType: userPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}
