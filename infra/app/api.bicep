// The function app: Linux consumption plan (Y1), custom handler (FUNCTIONS_WORKER_RUNTIME=custom), a
// system-assigned identity, and every app setting the handler reads (names: SettingNames.cs; a test
// holds this file to that list).

@description('Region of the plan and the app.')
param location string

@description('Tags of the plan and the app; the app also gets azd-service-name.')
param tags object

@description('Function app name (the host name <name>.azurewebsites.net).')
param name string

@description('Consumption plan name.')
param planName string

@description('Storage account of the Functions host (AzureWebJobsStorage) and of the datasets.')
param storageAccountName string

@description('Application Insights component the app reports to.')
param applicationInsightsName string

@description('CORS_ORIGINS: comma-separated origins the handler allows.')
param corsOrigins string

@description('MODEL_SERVICE: empty for every model, else the models this app serves.')
param modelService string

@description('DATASET_FAULT_MODE: fail or degrade.')
param datasetFaultMode string

@description('DATASET_PATH: where the handler reads the dataset files.')
param datasetPath string

@description('DATASETS_CONTAINER: blob container of the datasets and the time_consumption document.')
param datasetsContainerName string

@description('DURATIONS_CONTAINER: blob container of the duration logs.')
param durationsContainerName string

@description('DURATIONS_PREFIX: blob name prefix of the duration logs.')
param durationsPrefix string

@description('TIME_ESTIMATE_SCHEDULE: NCRONTAB schedule of the AggregateTimeEstimates timer.')
param timeEstimateSchedule string

@description('TIME_ESTIMATE_DAYS: days of durations the timer aggregates.')
param timeEstimateDays int

@description('Further app settings (name to value), merged over the ones below.')
param extraAppSettings object = {}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'Y1'
    tier: 'Dynamic'
  }
  properties: {
    // Linux.
    reserved: true
  }
}

// The Functions host's storage as a connection string: the Linux consumption plan's deployment tools
// (AzureFunctionApp@2, azd, `func azure functionapp publish`) read it to upload the package and point
// WEBSITE_RUN_FROM_PACKAGE at it. docs/DEPLOYMENT.md shows the identity-based alternative.
var hostStorageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

var appSettings = {
  // The Functions platform.
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'custom'
  AzureWebJobsStorage: hostStorageConnection
  AzureWebJobsDisableHomepage: 'true'
  // The handler (SettingNames.cs).
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  STORAGE_ACCOUNT_URL: storage.properties.primaryEndpoints.blob
  DATASET_PATH: datasetPath
  DATASETS_CONTAINER: datasetsContainerName
  DATASET_FAULT_MODE: datasetFaultMode
  DURATIONS_CONTAINER: durationsContainerName
  DURATIONS_PREFIX: durationsPrefix
  TIME_ESTIMATE_SCHEDULE: timeEstimateSchedule
  TIME_ESTIMATE_DAYS: string(timeEstimateDays)
  CORS_ORIGINS: corsOrigins
  MODEL_SERVICE: modelService
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    reserved: true
    httpsOnly: true
    siteConfig: {
      // Empty for a custom handler: the host runs the executable host.json names.
      linuxFxVersion: ''
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      // Empty on purpose: the handler answers CORS itself from CORS_ORIGINS (an exact allow-list);
      // platform CORS would answer preflights before the handler sees them.
      cors: {
        allowedOrigins: []
      }
      appSettings: [
        for setting in items(union(appSettings, extraAppSettings)): {
          name: setting.key
          value: string(setting.value)
        }
      ]
    }
  }
}

output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
output principalId string = functionApp.identity.principalId
