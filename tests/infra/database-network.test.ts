/**
 * The database and network stack (resources/stacks/database-network.yml), deployed first on a
 * fresh account: it writes exactly what the application stack reads, lets the VPC functions reach
 * every AWS API their code calls, and keeps the database private, encrypted and rotated.
 * (cfn-lint checks it too: tests/infra/cfn-lint.test.ts.)
 */
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { asList, lambdaEsbuildOptions, type CfnResource, type IamStatement } from './package-template.js';
import { readCfnYaml } from './cfn-yaml.js';
import { REPO_ROOT } from './state-machine-helpers.js';

interface CfnFile {
  Parameters: Record<string, { Type: string; Default?: unknown; AllowedValues?: string[] }>;
  Resources: Record<string, CfnResource>;
  Conditions?: Record<string, unknown>;
}

const STACK = readCfnYaml<CfnFile>(path.join(REPO_ROOT, 'resources/stacks/database-network.yml'));
const APP_PARAMETERS = readCfnYaml<CfnFile>(path.join(REPO_ROOT, 'resources/parameters.yml')).Parameters;
const SERVICE = readCfnYaml<{ functions: Record<string, { handler: string; vpc?: unknown }> }>(path.join(REPO_ROOT, 'serverless.yml'));

const ofType = (type: string) => Object.entries(STACK.Resources).filter(([, resource]) => resource.Type === type);
const props = (id: string) => {
  const resource = STACK.Resources[id];
  if (!resource) throw new Error(`No resource ${id} in database-network.yml`);
  return resource.Properties ?? {};
};

/** `@aws-sdk/client-x` → the VPC endpoint service name (`com.amazonaws.<region>.<name>`). */
const ENDPOINT_SERVICE: Record<string, string> = {
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-sfn': 'states',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-secrets-manager': 'secretsmanager',
  '@aws-sdk/client-mediaconvert': 'mediaconvert',
  '@aws-sdk/client-cloudwatch-logs': 'logs',
  '@aws-sdk/client-lambda': 'lambda',
  '@aws-sdk/client-cloudfront': 'cloudfront',
  '@aws-sdk/client-transcribe': 'transcribe',
};

/** The AWS SDK clients a function's bundle loads from the runtime (as `sls package` builds it). */
async function clientsOf(handler: string): Promise<string[]> {
  const entry = path.join(REPO_ROOT, handler.replace(/\.handler$/, '.ts'));
  const result = await build({ ...lambdaEsbuildOptions(), entryPoints: [entry], write: false, minify: false, outdir: '/tmp/lectern-clients' });
  const code = result.outputFiles.map((file) => file.text).join('\n');
  return [...new Set([...code.matchAll(/require\("(@aws-sdk\/client-[a-z0-9-]+)"\)/g)].map((match) => match[1]!))].sort();
}

describe('the database and network stack', () => {
  it('writes every SSM parameter the application stack reads, with the type it reads', () => {
    const written = Object.fromEntries(
      ofType('AWS::SSM::Parameter').map(([, parameter]) => [
        JSON.stringify(parameter.Properties?.Name).replace('${Stage}', '<stage>'),
        parameter.Properties?.Type as string,
      ]),
    );
    const read = Object.fromEntries(
      Object.values(APP_PARAMETERS)
        .filter((parameter) => parameter.Type.startsWith('AWS::SSM::Parameter::Value<'))
        .map((parameter) => [
          JSON.stringify({ 'Fn::Sub': String(parameter.Default).replace('${sls:stage}', '${Stage}') }).replace('${Stage}', '<stage>'),
          parameter.Type.includes('List<') ? 'StringList' : 'String',
        ]),
    );
    expect(Object.keys(read).length).toBeGreaterThan(0);
    expect(written).toEqual(read);
  });

  it('reaches every AWS API the VPC functions call, by endpoints (or through the NAT gateway)', async () => {
    const interfaceServices = ofType('AWS::EC2::VPCEndpoint').map(([id, endpoint]) => {
      const name = JSON.stringify(endpoint.Properties?.ServiceName);
      return { id, service: /\.([a-z0-9-]+)"\}$/.exec(name)?.[1], gateway: endpoint.Properties?.VpcEndpointType === 'Gateway', condition: endpoint.Condition };
    });
    const reachable = new Set(interfaceServices.map((endpoint) => endpoint.service));
    const vpcFunctions = Object.entries(SERVICE.functions).filter(([, fn]) => fn.vpc);
    expect(vpcFunctions.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const [name, fn] of vpcFunctions) {
      for (const client of await clientsOf(fn.handler)) {
        const service = ENDPOINT_SERVICE[client];
        if (!service || !reachable.has(service)) missing.push(`${name}: ${client} (${service ?? 'no endpoint known'})`);
      }
    }
    // No exception: CloudFront, which has no VPC endpoint, is called only by invalidateCdn, outside the VPC.
    expect(missing).toEqual([]);
    // S3 by gateway in both modes; every interface endpoint only in endpoints mode; and the
    // API the rotation function calls, Secrets Manager, is reachable too.
    expect(interfaceServices.find((endpoint) => endpoint.service === 's3')).toEqual(expect.objectContaining({ gateway: true, condition: undefined }));
    for (const endpoint of interfaceServices.filter((e) => !e.gateway)) expect(endpoint.condition, endpoint.id).toBe('UseEndpoints');
    expect(reachable.has('secretsmanager')).toBe(true);
    expect(reachable.has('logs')).toBe(true);
    expect(STACK.Resources.NatGateway?.Condition).toBe('UseNat');
    expect(STACK.Resources.PrivateDefaultRoute?.Condition).toBe('UseNat');
  }, 300_000);

  it('spreads the private subnets over two Availability Zones', () => {
    expect(props('PrivateSubnetA').AvailabilityZone).toEqual({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
    expect(props('PrivateSubnetB').AvailabilityZone).toEqual({ 'Fn::Select': [1, { 'Fn::GetAZs': '' }] });
    for (const id of ['PrivateSubnetA', 'PrivateSubnetB']) expect(props(id).MapPublicIpOnLaunch, id).toBe(false);
  });

  it('keeps PostgreSQL private, encrypted, backed up, snapshotted on delete, reachable only from the proxy and the rotation', () => {
    const database = STACK.Resources.Database!;
    expect(database.Properties?.Engine).toBe('postgres');
    expect(database.Properties?.PubliclyAccessible).toBe(false);
    expect(database.Properties?.StorageEncrypted).toBe(true);
    expect(database.Properties?.BackupRetentionPeriod).toBeGreaterThanOrEqual(7);
    expect(database.DeletionPolicy).toBe('Snapshot');
    const ingress = props('DatabaseSecurityGroup').SecurityGroupIngress as Array<Record<string, unknown>>;
    expect(ingress.map((rule) => rule.SourceSecurityGroupId)).toEqual([{ Ref: 'ProxySecurityGroup' }, { Ref: 'RotationSecurityGroup' }]);
    expect(ingress.every((rule) => rule.FromPort === 5432 && rule.ToPort === 5432 && !('CidrIp' in rule))).toBe(true);
  });

  it('puts RDS Proxy in front, requiring IAM authentication and TLS, reading the rotated secret', () => {
    const proxy = props('Proxy');
    expect(proxy.RequireTLS).toBe(true);
    expect(proxy.Auth).toEqual([{ AuthScheme: 'SECRETS', SecretArn: { Ref: 'DatabaseSecret' }, IAMAuth: 'REQUIRED' }]);
    const rotation = props('DatabaseSecretRotation');
    expect(rotation.SecretId).toEqual({ Ref: 'DatabaseSecret' });
    expect((rotation.HostedRotationLambda as Record<string, unknown>).RotationType).toBe('PostgreSQLSingleUser');
    expect(JSON.stringify(rotation.RotationRules)).toContain('days');
  });

  it('grants no wildcard: the proxy reads its one secret', () => {
    for (const [id, role] of ofType('AWS::IAM::Role')) {
      for (const policy of (role.Properties?.Policies as Array<{ PolicyDocument: { Statement: IamStatement[] } }>) ?? []) {
        for (const statement of policy.PolicyDocument.Statement) {
          expect(asList(statement.Resource), id).not.toContain('*');
          for (const action of asList(statement.Action)) expect(action, id).not.toMatch(/\*/);
        }
      }
    }
  });
});
