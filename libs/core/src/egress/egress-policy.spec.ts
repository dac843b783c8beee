import { EgressPolicy } from './egress-policy';

describe('EgressPolicy', () => {
  describe('the default (public)', () => {
    const policy = EgressPolicy.DEFAULT;

    it.each([
      ['127.0.0.1', 'loopback'],
      ['::1', 'IPv6 loopback'],
      ['169.254.169.254', 'the cloud metadata address'],
      ['fe80::1', 'IPv6 link-local'],
      ['10.0.0.5', 'a private range'],
      ['192.168.1.1', 'a private range'],
      ['172.16.0.1', 'a private range'],
      ['100.64.0.1', 'carrier-grade NAT'],
      ['fd00::1', 'IPv6 unique-local'],
      ['0.0.0.0', 'the unspecified address'],
      ['::ffff:127.0.0.1', 'loopback mapped into IPv6'],
      ['::ffff:169.254.169.254', 'metadata mapped into IPv6'],
      ['224.0.0.1', 'multicast'],
    ])('refuses %s (%s)', (address) => {
      expect(policy.allowsAddress('provider.example', address)).toBe(false);
    });

    it('allows public addresses, v4 and v6', () => {
      expect(policy.allowsAddress('api.openai.com', '104.18.6.192')).toBe(true);
      expect(policy.allowsAddress('api.example', '2606:4700::6812:6c0')).toBe(true);
    });

    it('refuses address literals and localhost in a URL before any lookup', () => {
      expect(policy.refusalOf('http://169.254.169.254/latest/meta-data')).toMatch(/169\.254\.169\.254/);
      expect(policy.refusalOf('http://[::1]:8080/v1')).toMatch(/::1/);
      expect(policy.refusalOf('http://localhost:11434/v1')).toMatch(/localhost/);
      expect(policy.refusalOf('http://api.localhost/v1')).not.toBeNull();
      // The URL parser reads other spellings of an IPv4 address as the address.
      expect(policy.refusalOf('http://2130706433/v1')).toMatch(/127\.0\.0\.1/);
      expect(policy.refusalOf('http://0x7f.1/v1')).toMatch(/127\.0\.0\.1/);
    });

    it('leaves a name to be checked on its addresses when connecting', () => {
      expect(policy.refusalOf('https://api.openai.com/v1')).toBeNull();
      expect(policy.refusalOf('http://llm.internal:8000/v1')).toBeNull();
    });
  });

  it('lets a CIDR entry through whatever the range, and nothing outside it', () => {
    const policy = EgressPolicy.parse('10.20.0.0/16, 127.0.0.1');
    expect(policy.allowsAddress('x', '10.20.3.4')).toBe(true);
    expect(policy.allowsAddress('x', '127.0.0.1')).toBe(true);
    expect(policy.allowsAddress('x', '10.21.0.1')).toBe(false);
    expect(policy.allowsAddress('x', '104.18.6.192')).toBe(false);
    expect(policy.refusalOf('http://127.0.0.1:9000/v1')).toBeNull();
    expect(policy.refusalOf('http://llm.example/v1')).toBeNull();
  });

  it('lets a named host reach private addresses, never loopback or link-local', () => {
    const policy = EgressPolicy.parse('llm.corp.example,*.models.example');
    expect(policy.allowsAddress('llm.corp.example', '10.1.2.3')).toBe(true);
    expect(policy.allowsAddress('LLM.corp.example.', '10.1.2.3')).toBe(true);
    expect(policy.allowsAddress('a.models.example', '192.168.0.9')).toBe(true);
    expect(policy.allowsAddress('models.example', '192.168.0.9')).toBe(false);
    expect(policy.allowsAddress('llm.corp.example', '127.0.0.1')).toBe(false);
    expect(policy.allowsAddress('llm.corp.example', '169.254.169.254')).toBe(false);
    expect(policy.allowsAddress('other.example', '10.1.2.3')).toBe(false);
    expect(policy.refusalOf('https://other.example/v1')).toMatch(/other\.example/);
    expect(policy.refusalOf('https://llm.corp.example/v1')).toBeNull();
  });

  it('allows nothing with none', () => {
    const policy = EgressPolicy.parse('none');
    expect(policy.allowsAddress('api.openai.com', '104.18.6.192')).toBe(false);
    expect(policy.refusalOf('https://api.openai.com/v1')).not.toBeNull();
  });

  it.each([
    ['', /no entry/],
    ['none,public', /none/],
    ['10.0.0.0/33', /CIDR/],
    ['http://x', /a URL/],
    ['bad_name', /host name/],
  ])('refuses to read %j', (value, message) => {
    expect(() => EgressPolicy.parse(value)).toThrow(message);
  });
});
