import notices from '../../app/thirdPartyNotices.json';

/** Third-party software bundled into the app, with licences; and the sample data's licences. */
export function LicensesPage() {
  return (
    <section aria-labelledby="licenses-title">
      <h1 id="licenses-title">Licences</h1>
      <p>The workbench is Apache-2.0. It bundles these libraries:</p>
      <table data-testid="notices-table">
        <caption>Third-party libraries</caption>
        <thead>
          <tr>
            <th scope="col">Package</th>
            <th scope="col">Version</th>
            <th scope="col">Licence</th>
          </tr>
        </thead>
        <tbody>
          {notices.map((n) => (
            <tr key={n.name}>
              <th scope="row">{n.name}</th>
              <td>{n.version}</td>
              <td>{n.license}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Sample data</h2>
      <p>Palmer penguins (Horst, Hill &amp; Gorman), from Debian’s r-cran-palmerpenguins 0.1.1: CC0.</p>
    </section>
  );
}
