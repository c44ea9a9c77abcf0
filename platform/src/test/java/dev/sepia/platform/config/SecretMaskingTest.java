package dev.sepia.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaskingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:postgresql://db/sepia?user=sepia&password=hunter2"
            + " | jdbc:postgresql://db/sepia?user=sepia&password=<masked>",
        "jdbc:postgresql://db/sepia?PASSWORD=hunter2&ssl=true"
            + " | jdbc:postgresql://db/sepia?PASSWORD=<masked>&ssl=true",
        "jdbc:postgresql://db/sepia?sslpassword=k3y&user=sepia"
            + " | jdbc:postgresql://db/sepia?sslpassword=<masked>&user=sepia",
        "jdbc:sqlserver://db:1433;user=sepia;Password=hunter2;encrypt=true"
            + " | jdbc:sqlserver://db:1433;user=sepia;Password=<masked>;encrypt=true",
        "Host=db;Username=sepia;Pwd=hunter2 | Host=db;Username=sepia;Pwd=<masked>",
        "Host=db; Password = 'a;b' ;Database=sepia | Host=db; Password = <masked> ;Database=sepia",
        "password=hunter2 | password=<masked>",
        "postgresql://sepia:hunter2@db:5432/sepia | postgresql://sepia:<masked>@db:5432/sepia",
        "jdbc:postgresql://sepia:p@ss@db/sepia | jdbc:postgresql://sepia:<masked>@db/sepia",
      })
  void passwordsInConnectionStrings_areMasked(String raw, String shown) {
    assertThat(SecretMasking.maskConnectionString(raw)).isEqualTo(shown);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:h2:file:/var/lib/sepia/db/sepia;AUTO_SERVER=TRUE",
        "jdbc:postgresql://db:5432/sepia?user=sepia&ssl=true",
        "jdbc:postgresql://db/sepia?passwordFile",
      })
  void connectionStringsWithoutPasswords_areShownUnchanged(String raw) {
    assertThat(SecretMasking.maskConnectionString(raw)).isEqualTo(raw);
  }

  @Test
  void noConnectionString_staysNone() {
    assertThat(SecretMasking.maskConnectionString(null)).isNull();
    assertThat(SecretMasking.maskConnectionString("")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Sepia.MasterKey",
        "Sepia.Database.Password",
        "Sepia.Smtp.password",
        "Sepia.OAuth.ClientSecret",
        "Tentacle.Certificate",
        "Tentacle.CertificatePrivateKey",
        "Sepia.Admin.ApiKey",
        "Sepia.Admin.APIKEY",
      })
  void secretSettingNames_areRecognised(String name) {
    assertThat(SecretMasking.looksSecretKey(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Sepia.Home",
        "Sepia.Web.ListenPort",
        "Sepia.Database.ConnectionString",
        "Tentacle.TrustedServerThumbprint"
      })
  void ordinarySettingNames_areNotMasked(String name) {
    assertThat(SecretMasking.looksSecretKey(name)).isFalse();
  }
}
