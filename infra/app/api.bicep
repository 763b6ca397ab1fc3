// The function app on the Flex Consumption plan (FC1): runtime dotnet-isolated 10.0 (functionAppConfig,
// not app settings), the deployment package in a blob container read with the user-assigned identity,
// the Functions host's storage reached with that identity (no key), and every app setting the app reads
// (names: SidsFunctions/Hosting/SettingNames.cs; a test holds this file to that list).
//
// Flex Consumption rejects or ignores the settings of the older plans: FUNCTIONS_WORKER_RUNTIME and
// FUNCTIONS_EXTENSION_VERSION (functionAppConfig.runtime decides), WEBSITE_RUN_FROM_PACKAGE (the
// deployment container decides), WEBSITE_CONTENTSHARE / WEBSITE_CONTENTAZUREFILECONNECTIONSTRING (no
// content share), WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT (maximumInstanceCount decides),
// siteConfig.linuxFxVersion. None of them is set here.

@description('Region of the plan and the app; it must offer Flex Consumption with dotnet-isolated 10.0 (`az functionapp list-flexconsumption-locations`).')
param location string

@description('Tags of the plan and the app; the app also gets azd-service-name.')
param tags object

@description('Function app name (the host name <name>.azurewebsites.net).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Storage account of the Functions host (AzureWebJobsStorage__accountName), of the deployment package and of the datasets.')
param storageAccountName string

@description('Blob container the deployment package (the zip of `dotnet publish`) is uploaded to.')
param deploymentContainerName string

@description('Application Insights component the app reports to.')
param applicationInsightsName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (AzureWebJobsStorage__clientId, AZURE_CLIENT_ID, the Application Insights authentication string).')
param identityClientId string

@description('Most instances the plan scales the app out to (Flex Consumption: 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each instance in MB; 2048 comes with one vCPU, 4096 with two (the heavy predictions use every core).')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('HTTP requests one instance takes at once before the plan adds an instance. The app queues heavy computations itself (MAX_CONCURRENT_COMPUTATIONS, MAX_QUEUED_COMPUTATIONS); a low value scales out sooner.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16

@description('CORS_ORIGINS: comma-separated origins the app allows; the platform CORS is given the same exact list.')
param corsOrigins string

@description('MODEL_SERVICE: empty for every model, else the models this app serves.')
param modelService string

@description('DATASET_FAULT_MODE: fail or degrade.')
param datasetFaultMode string

@description('DATASET_PATH: where the app reads the dataset files.')
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

@description('Further app settings (name to string value), merged over the ones below.')
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
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Linux: Flex Consumption runs only there.
    reserved: true
  }
}

// One list for the app and the platform, as the app reads CORS_ORIGINS (comma-separated, trimmed).
var corsOriginList = filter(map(split(corsOrigins, ','), origin => trim(origin)), origin => !empty(origin))

var appSettings = {
  // The Functions host's storage (timer schedule and singleton lock, keys) by identity: the host builds
  // its blob client from these three settings instead of a connection string.
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // "/" is the app's greeting, not the host's page.
  AzureWebJobsDisableHomepage: 'true'
  // The host sends its telemetry with the identity (Monitoring Metrics Publisher, rbac.bicep).
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // The app (SettingNames.cs).
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  STORAGE_ACCOUNT_URL: storage.properties.primaryEndpoints.blob
  AZURE_CLIENT_ID: identityClientId
  DATASET_PATH: datasetPath
  DATASETS_CONTAINER: datasetsContainerName
  DATASET_FAULT_MODE: datasetFaultMode
  DURATIONS_CONTAINER: durationsContainerName
  DURATIONS_PREFIX: durationsPrefix
  TIME_ESTIMATE_SCHEDULE: timeEstimateSchedule
  TIME_ESTIMATE_DAYS: string(timeEstimateDays)
  CORS_ORIGINS: join(corsOriginList, ',')
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
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
      // The same exact list the app applies itself (CORS_ORIGINS): the platform answers preflights
      // before the app sees them, so both must agree. No credentials, as the app allows none.
      cors: {
        allowedOrigins: corsOriginList
        supportCredentials: false
      }
    }
  }
}

// The app settings as the site's appsettings config (their values are known only during the
// deployment: the identity's client id, the component's connection string), extraAppSettings over them.
resource functionAppSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(appSettings, extraAppSettings)
}

output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
