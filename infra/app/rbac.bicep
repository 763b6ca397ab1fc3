// Role assignments. The function app's user-assigned identity: Storage Blob Data Owner on the storage
// account (the Functions host's blobs: timer schedule, singleton locks and keys; the deployment package
// Flex Consumption reads; the datasets, the time_consumption document and the duration logs the app
// reads and writes) and Monitoring Metrics Publisher on Application Insights (the host's telemetry with
// APPLICATIONINSIGHTS_AUTHENTICATION_STRING). An optional user or service principal may upload datasets
// and deployment packages (azd deploys as you).

@description('Storage account the blob roles apply to.')
param storageAccountName string

@description('Application Insights component the telemetry role applies to.')
param applicationInsightsName string

@description('Principal id of the function app\'s user-assigned identity.')
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
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
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

resource functionMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, functionPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
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
