'use strict';
/**
 * `sls package` with layers, offline. Before it packages a layer, the framework asks
 * CloudFormation (DescribeStacks) whether the deployed stack already holds a layer with the same
 * hash, to skip uploading it again. With no credentials (CI's `sls package --stage ci`, or any
 * machine without an AWS account) that question fails the whole package. This plugin answers it
 * "no" in that one case — exactly what a first deploy does: the layer is packaged (and, on a
 * deploy, uploaded) as new. With credentials nothing changes.
 */
class OfflineLayers {
  constructor(serverless) {
    const compiler = serverless.pluginManager.plugins.find((plugin) => typeof plugin.compareWithLastLayer === 'function');
    if (!compiler) return;
    const compare = compiler.compareWithLastLayer.bind(compiler);
    compiler.compareWithLastLayer = async (layerName) => {
      try {
        return await compare(layerName);
      } catch (error) {
        if (error && error.code === 'AWS_CREDENTIALS_NOT_FOUND') {
          serverless.cli.log(`Layer ${layerName}: no AWS credentials to compare it with the deployed one; packaged as new.`);
          return undefined;
        }
        throw error;
      }
    };
  }
}

module.exports = OfflineLayers;
