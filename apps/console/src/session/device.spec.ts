import { describeDevice } from './device';

const agents = {
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  chromeMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  headlessLinux:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
};

describe('describeDevice', () => {
  it('names a browser and its system, not the browsers it claims to be like', () => {
    expect(describeDevice({ user_agent: agents.firefoxWindows })).toBe('Firefox on Windows');
    expect(describeDevice({ user_agent: agents.chromeMac })).toBe('Chrome on macOS');
    expect(describeDevice({ user_agent: agents.edgeWindows })).toBe('Edge on Windows');
    expect(describeDevice({ user_agent: agents.safariIphone })).toBe('Safari on iPhone');
    expect(describeDevice({ user_agent: agents.chromeAndroid })).toBe('Chrome on Android');
    expect(describeDevice({ user_agent: agents.headlessLinux })).toBe('Headless Chrome on Linux');
  });

  it('shows any other agent as it is, shortened past 80 characters', () => {
    expect(describeDevice({ user_agent: 'curl/8.5.0' })).toBe('curl/8.5.0');
    const long = `nightly-sync/2.1 ${'x'.repeat(100)}`;
    expect(describeDevice({ user_agent: long })).toHaveLength(78);
    expect(describeDevice({ user_agent: long }).endsWith('…')).toBe(true);
  });

  it('says when a session has no user agent', () => {
    expect(describeDevice({ user_agent: null })).toBe('unknown device');
    expect(describeDevice({ user_agent: '  ' })).toBe('unknown device');
  });
});
