import { CreateFoundation1763800000000 } from './1763800000000-create-foundation';
import { CreateApiKeys1763800100000 } from './1763800100000-create-api-keys';
import { CreateAuditEvents1763800200000 } from './1763800200000-create-audit-events';
import { CreateUsageDaily1763800300000 } from './1763800300000-create-usage-daily';
import { CreateDocuments1763800400000 } from './1763800400000-create-documents';
import { CreateGraph1763800500000 } from './1763800500000-create-graph';
import { CreateGraphEdits1763800600000 } from './1763800600000-create-graph-edits';
import { AddGraphStage1764500000000 } from './1764500000000-add-graph-stage';
import { AddChunkTerms1764600000000 } from './1764600000000-add-chunk-terms';
import { ChunkTermsByDocument1764600100000 } from './1764600100000-chunk-terms-by-document';
import { PayloadColumnsWithoutStatistics1764700000000 } from './1764700000000-payload-columns-without-statistics';
import { PostingsCascadeByStatement1764800000000 } from './1764800000000-postings-cascade-by-statement';
import { TextStatsVersion1764900000000 } from './1764900000000-text-stats-version';
import { MentionsInDocumentOrder1765000000000 } from './1765000000000-mentions-in-document-order';
import { KeyedAuditChain1765100000000 } from './1765100000000-keyed-audit-chain';
import { CreateInvitations1765200000000 } from './1765200000000-create-invitations';
import { PackedPostings1765300000000 } from './1765300000000-packed-postings';
import { ChunkNumbers1765400000000 } from './1765400000000-chunk-numbers';
import { CreateSessions1765500000000 } from './1765500000000-create-sessions';
import { CreatePasswordResets1765600000000 } from './1765600000000-create-password-resets';
import { ApiKeyRotation1765700000000 } from './1765700000000-api-key-rotation';
import { AccessChangeNotifications1765800000000 } from './1765800000000-access-change-notifications';
import { CreateIdentityProviders1765900000000 } from './1765900000000-create-identity-providers';
import { LdapIdentityProviders1766000000000 } from './1766000000000-ldap-identity-providers';
import { TenantSsoRequired1766100000000 } from './1766100000000-tenant-sso-required';
import { DocumentTrackIds1766200000000 } from './1766200000000-document-track-ids';
import { GraphCuration1766300000000 } from './1766300000000-graph-curation';
import { CreateConversations1766400000000 } from './1766400000000-create-conversations';
import { CreateAnswerFeedback1766500000000 } from './1766500000000-create-answer-feedback';
import { TokenUsage1766600000000 } from './1766600000000-token-usage';
import { GroupsAndDocumentAccess1766700000000 } from './1766700000000-groups-and-document-access';
import { DocumentDeletions1766800000000 } from './1766800000000-document-deletions';
import { SsoGroupGrants1766900000000 } from './1766900000000-sso-group-grants';

/** Every migration, oldest first. Listed explicitly so bundled builds need no file globbing. */
export const MIGRATIONS = [
  CreateFoundation1763800000000,
  CreateApiKeys1763800100000,
  CreateAuditEvents1763800200000,
  CreateUsageDaily1763800300000,
  CreateDocuments1763800400000,
  CreateGraph1763800500000,
  CreateGraphEdits1763800600000,
  AddGraphStage1764500000000,
  AddChunkTerms1764600000000,
  ChunkTermsByDocument1764600100000,
  PayloadColumnsWithoutStatistics1764700000000,
  PostingsCascadeByStatement1764800000000,
  TextStatsVersion1764900000000,
  MentionsInDocumentOrder1765000000000,
  KeyedAuditChain1765100000000,
  CreateInvitations1765200000000,
  PackedPostings1765300000000,
  ChunkNumbers1765400000000,
  CreateSessions1765500000000,
  CreatePasswordResets1765600000000,
  ApiKeyRotation1765700000000,
  AccessChangeNotifications1765800000000,
  CreateIdentityProviders1765900000000,
  LdapIdentityProviders1766000000000,
  TenantSsoRequired1766100000000,
  DocumentTrackIds1766200000000,
  GraphCuration1766300000000,
  CreateConversations1766400000000,
  CreateAnswerFeedback1766500000000,
  TokenUsage1766600000000,
  GroupsAndDocumentAccess1766700000000,
  DocumentDeletions1766800000000,
  SsoGroupGrants1766900000000,
];

export { ACCESS_CHANGES_CHANNEL } from './1765800000000-access-change-notifications';
