/**
 * Who may call the API: a Cognito user pool for staff (agents, supervisors, managers, admins).
 * Customers never sign in; the public survey routes carry a signed token instead.
 *
 * The API Gateway authorizer verifies the token; the handlers then check the role from the
 * `cognito:groups` claim and read the team from `custom:team` (shared/http/auth.ts). Both claims
 * are in the ID token, which is the token frontends send as `Authorization: Bearer …`.
 *
 * MFA is required, pool-wide, with a TOTP app (no SMS or email codes, which a SIM swap or a shared
 * mailbox defeats). The issue asked for admins and managers (who export and erase personal data);
 * Cognito cannot require MFA per group, its ID tokens carry no `amr` claim an API could check, and a
 * second pool for them would split one directory and one authorizer in two. Every staff role reads
 * customers' names, phones and complaints, so a second factor for all of them is no excess. A new
 * member of staff enrols at first sign-in (Cognito answers the MFA_SETUP challenge); an admin resets a
 * lost device with `admin-set-user-mfa-preference`.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { Role } from '../../../shared/schemas/common.js';

/** The custom attribute behind the `custom:team` claim. */
export const TEAM_ATTRIBUTE = 'team';

export interface AuthProps {
  stage: string;
}

export class Auth extends Construct {
  readonly userPool: UserPool;
  /** The app client of the web and mobile frontends (SRP sign-in, no secret). */
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `careloop-${props.stage}`,
      // Staff accounts are created by an admin, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      // A changed email only takes effect once verified, so an unverified address cannot take over an account.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      customAttributes: { [TEAM_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Every member of staff signs in with a TOTP app (see the class comment: why pool-wide).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus: threat protection blocks compromised credentials and challenges risky sign-ins.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // One group per role, from the same enum the handlers check; a higher role takes precedence.
    const roles = Role.options;
    roles.forEach((role, rank) => {
      this.userPool.addGroup(`${role.charAt(0).toUpperCase()}${role.slice(1)}Group`, {
        groupName: role,
        description: `CareLoop ${role}: the rights of ${rank === 0 ? 'this role' : `${roles.slice(0, rank).join(', ')} and more`}`,
        precedence: roles.length - 1 - rank,
      });
    });

    this.client = this.userPool.addClient('WebClient', {
      userPoolClientName: 'careloop-web',
      authFlows: { userSrp: true },
      generateSecret: false,
      // No hosted UI: frontends sign in with SRP, so no OAuth flows (and no implicit grant) are enabled.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(TEAM_ATTRIBUTE),
      // Users may edit their name only: the team (which scopes what they see) is set by an admin.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
  }
}
